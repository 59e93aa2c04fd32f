import { describe, expect, test } from "@jest/globals";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultBudgets, loadBudgets } from "./budgets.js";
import { parseChaosFlags } from "./options.js";

describe("chaos input: one line, exit 2, nothing touched", () => {
  const ok = { disruptiveAllowed: true };
  test.each([
    [{ faults: "pod-delete,meteor" }, /unknown fault "meteor"/],
    [{ duration: "30 minutes" }, /--duration must be like 90s, 30m or 2h/],
    [{ duration: "10s" }, /--duration must be/],
    [{ seed: "forty-two" }, /--seed must be a whole number/],
    [{ budget: "/nonexistent/budget.json" }, /cannot read the budget file/],
  ])("%j", (flags, message) => {
    expect(() => parseChaosFlags(flags, ok)).toThrow(message);
  });

  test("node faults on a cluster that is not the suite's kind cluster need the opt-in", () => {
    expect(() => parseChaosFlags({ faults: "pod-delete,node-pause" }, { disruptiveAllowed: false })).toThrow(
      /\(node-pause\) run only on the suite's kind cluster/,
    );
    expect(parseChaosFlags({ faults: "pod-delete" }, { disruptiveAllowed: false }).faults).toEqual(["pod-delete"]);
  });

  test("a budget file overrides some defaults; junk in it is refused", () => {
    const dir = mkdtempSync(join(tmpdir(), "budget-"));
    writeFileSync(join(dir, "ok.json"), '{"node-pause": 60}');
    writeFileSync(join(dir, "bad.json"), '{"node-pause": "soon"}');
    expect(loadBudgets(join(dir, "ok.json"))["node-pause"]).toBe(60);
    expect(loadBudgets(join(dir, "ok.json"))["pod-delete"]).toBe(defaultBudgets["pod-delete"]);
    expect(() => loadBudgets(join(dir, "bad.json"))).toThrow(/must be seconds between 1 and 3600/);
  });
});
