import { describe, expect, test } from "@jest/globals";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultBudgets, loadBudgets } from "./budgets.js";
import { faultKinds, isDisruptive } from "./catalogue.js";
import { parseChaosFlags } from "./options.js";

describe("chaos input: one line, exit 2, nothing touched", () => {
  const ok = { disruptiveAllowed: true, onKind: true };
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
    const offKind = { disruptiveAllowed: false, onKind: false };
    expect(() => parseChaosFlags({ faults: "pod-delete,kubelet-stop" }, offKind)).toThrow(
      /\(kubelet-stop\) run only on the suite's kind cluster/,
    );
    expect(parseChaosFlags({ faults: "pod-delete" }, offKind).faults).toEqual(["pod-delete"]);
  });

  test("off kind, a kind only kind's nodes allow is refused even with the opt-in; the default is what this target can make", () => {
    const optedIn = { disruptiveAllowed: true, onKind: false };
    expect(() => parseChaosFlags({ faults: "pod-delete,node-pause,api-restart" }, optedIn)).toThrow(
      /^node-pause, api-restart cannot be made on this cluster: .*kubelet-stop and partition reach a node through a privileged pod$/,
    );
    const byDefault = parseChaosFlags({}, optedIn).faults;
    expect(byDefault).toEqual(expect.arrayContaining(["pod-delete", "kubelet-stop", "partition"]));
    expect(byDefault).not.toContain("node-pause");
    expect(parseChaosFlags({}, { disruptiveAllowed: false, onKind: false }).faults.every((k) => !isDisruptive(k))).toBe(
      true,
    );
    expect(parseChaosFlags({}, { disruptiveAllowed: true, onKind: true }).faults).toEqual(faultKinds);
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
