import { describe, expect, test } from "@jest/globals";
import { defaultBudgets } from "./budgets.js";
import { faultKinds, type FaultKind } from "./catalogue.js";
import { faultSequence, formatSchedule, makeSchedule, runIsOver } from "./schedule.js";

const targets = { members: [0, 1, 2], nodes: ["kind-worker", "kind-worker2"] };

describe("chaos schedule", () => {
  test("the same seed gives the same schedule; another seed another", () => {
    const a = makeSchedule(42, 30 * 60_000, [...faultKinds], defaultBudgets, targets, "web");
    expect(makeSchedule(42, 30 * 60_000, [...faultKinds], defaultBudgets, targets, "web")).toEqual(a);
    expect(makeSchedule(43, 30 * 60_000, [...faultKinds], defaultBudgets, targets, "web")).not.toEqual(a);
  });

  test("every kind once per round, one at a time, each planned to start within the duration", () => {
    const s = makeSchedule(7, 30 * 60_000, [...faultKinds], defaultBudgets, targets, "web");
    expect(new Set(s.slice(0, faultKinds.length).map((f) => f.fault)).size).toBe(faultKinds.length);
    for (const [prev, f] of s.slice(1).map((f, i) => [s[i], f] as const)) {
      expect(f.atMs).toBeLessThan(30 * 60_000);
      if (prev) expect(f.atMs).toBe(prev.atMs + defaultBudgets[prev.fault] * 1000);
    }
    expect(s.filter((f) => f.fault === "node-pause").every((f) => targets.nodes.includes(f.target))).toBe(true);
    expect(formatSchedule(s.slice(0, 1))).toMatch(/^# {2}1 {3}0m00s {2}\S+/);
  });

  test("a run shorter than one round still runs every kind once; the run goes on down the same sequence", () => {
    const short = makeSchedule(42, 60_000, [...faultKinds], defaultBudgets, targets, "web");
    expect(short.map((f) => f.fault).sort()).toEqual([...faultKinds].sort());
    const sequence = faultSequence(42, [...faultKinds], targets, "web");
    const first = Array.from({ length: faultKinds.length + 3 }, () => sequence.next().value);
    expect(first.slice(0, short.length)).toEqual(short.map(({ atMs: _, ...f }) => f));
    const round = first.slice(0, faultKinds.length);
    expect(runIsOver(round.slice(1), [...faultKinds], 3_600_000, 60_000)).toBe(false);
    expect(runIsOver(round, [...faultKinds], 59_999, 60_000)).toBe(false);
    expect(runIsOver(round, [...faultKinds], 60_000, 60_000)).toBe(true);
  });

  test("a fault skipped (over the disruption budget) counts for nothing: the run goes on to make its kind, up to a bound", () => {
    const kinds: FaultKind[] = ["pod-delete", "node-stop"];
    const skipped = { fault: "node-stop" as const, skipped: "node holds web-0, web-1" };
    const round = [{ fault: "pod-delete" as const }, skipped];
    expect(runIsOver(round, kinds, 60_000, 60_000)).toBe(false);
    expect(runIsOver([...round, { fault: "node-stop" }], kinds, 60_000, 60_000)).toBe(true);
    expect(runIsOver([...round, ...round], kinds, 60_000, 60_000)).toBe(false);
    expect(runIsOver([...round, ...round, ...round], kinds, 60_000, 60_000)).toBe(true);
  });

  test("no fault kind to run is refused at once, never an endless empty sequence", () => {
    expect(() => faultSequence(42, [], targets, "web").next()).toThrow(/at least one fault kind/);
  });
});
