import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { listTests } from "../cli/list.js";
import { repoRoot } from "../config/paths.js";
import { capabilities, capabilityVerdicts, proves, type CapabilityTest } from "./capabilities.js";
import { ofTheRound, onTheClass } from "./findings-report.js";

const drain = (verdict: CapabilityTest["verdict"], control = false): CapabilityTest => ({
  name: `G25 node drain G25${control ? " negative control" : ""}: …`,
  capabilities: ["drain"],
  negativeControl: control,
  verdict,
});
const verdictOf = (id: string, tests: CapabilityTest[]) => capabilityVerdicts(tests).find((r) => r.id === id);

describe("storage capabilities", () => {
  test("each capability is proved by tests in the specs, each with a check and a negative control", () => {
    const specs = listTests();
    for (const c of capabilities) {
      const mine = specs.filter((t) => proves(c, t));
      expect({ id: c.id, checks: mine.some((t) => t.kind === "check") }).toEqual({ id: c.id, checks: true });
      expect({ id: c.id, controls: mine.some((t) => t.kind === "control") }).toEqual({ id: c.id, controls: true });
    }
  });

  test("the storage vendors' page names every capability in its table", () => {
    const readme = readFileSync(join(repoRoot, "docs/storage-vendors.md"), "utf8");
    expect(capabilities.filter((c) => !readme.includes(`| \`${c.id}\``)).map((c) => c.id)).toEqual([]);
  });

  test("a test proves the capabilities its metadata names, no others", () => {
    const kept = capabilities.find((c) => c.id === "claims-kept");
    const byName = (part: string) => listTests().find((t) => t.fullName.includes(part));
    const scaleDownG10 = byName("G15 G10: scale-down goes from the highest ordinal down");
    const scaleDownG16 = byName("G16: scale-down of a set whose pods are all unhealthy halts");
    expect(kept && scaleDownG10 && proves(kept, scaleDownG10)).toBe(true);
    expect(kept && scaleDownG16 && proves(kept, scaleDownG16)).toBe(false);
    // a node lost either way proves it: paused on kind, its kubelet stopped by a privileged pod anywhere
    const loss = capabilities.find((c) => c.id === "node-loss");
    const paused = byName("G23: a member on a paused node");
    const podStopped = byName("G23: a member on a node whose kubelet a privileged pod stopped");
    expect(loss && paused && proves(loss, paused)).toBe(true);
    expect(loss && podStopped && proves(loss, podStopped)).toBe(true);
  });

  test("held when every check held and every control flagged", () => {
    expect(verdictOf("drain", [drain("held"), drain("flagged", true)])).toMatchObject({ verdict: "held" });
  });

  test("one BROKEN check, or a MISSED control, breaks the capability and is named", () => {
    const broken = verdictOf("drain", [drain("BROKEN"), drain("flagged", true)]);
    expect(broken).toMatchObject({ verdict: "BROKEN", tests: [{ name: "G25 node drain G25: …", verdict: "BROKEN" }] });
    expect(verdictOf("drain", [drain("held"), drain("MISSED", true)])).toMatchObject({ verdict: "BROKEN" });
    expect(verdictOf("drain", [drain("BROKEN"), drain("inconclusive", true)])).toMatchObject({ verdict: "BROKEN" });
  });

  test("an inconclusive test, with nothing broken, leaves it inconclusive, never held", () => {
    expect(verdictOf("drain", [drain("inconclusive"), drain("flagged", true)])).toMatchObject({
      verdict: "inconclusive",
    });
  });

  test("not run, with the reason, when its tests were skipped or not selected; never held", () => {
    const skipped = { ...drain("skipped"), skipReason: "disruptive faults need STS_ALLOW_DISRUPTIVE=1" };
    expect(verdictOf("drain", [skipped])).toMatchObject({ verdict: "not run", why: skipped.skipReason });
    expect(verdictOf("drain", [])).toMatchObject({ verdict: "not run", why: "none of its tests was selected" });
  });

  test("held where its tests ran, one of them not run here: held in part, never held", () => {
    const notHere = { ...drain("skipped", true), skipReason: "the topology controls need the suite's kind cluster" };
    expect(verdictOf("drain", [drain("held"), drain("flagged", true), notHere])).toMatchObject({
      verdict: "held in part",
      why: `1 of its 3 tests not run: ${notHere.skipReason}`,
    });
  });

  test("a test skipped because another of the run stands in for it leaves no hole: held", () => {
    const otherTopology = {
      ...drain("skipped", true),
      skipReason: "the control that claims movable…",
      standIn: true as const,
    };
    const held = verdictOf("drain", [drain("held"), drain("flagged", true), otherTopology]);
    expect(held).toMatchObject({ verdict: "held" });
    expect(held?.why).toBeUndefined();
  });

  test("a proof left one-sided by --focus or --skip is not run, never held", () => {
    const notSelected = "not selected by this run's --focus/--skip";
    const left = (t: CapabilityTest): CapabilityTest => ({ ...t, verdict: "skipped", skipReason: notSelected });
    expect(verdictOf("drain", [left(drain("held")), drain("flagged", true)])).toMatchObject({
      verdict: "not run",
      why: `only its negative controls ran; its checks were not run: ${notSelected}`,
    });
    expect(verdictOf("drain", [drain("held"), left(drain("flagged", true))])).toMatchObject({
      verdict: "not run",
      why: `none of its negative controls ran, so nothing shows its checks can fail: ${notSelected}`,
    });
    // a broken check is broken whatever else was left out
    expect(verdictOf("drain", [drain("BROKEN"), left(drain("flagged", true))])).toMatchObject({ verdict: "BROKEN" });
  });

  test("a chaos run of member faults alone proves nothing about node faults: not run, never held", () => {
    const [withNodes, membersOnly, control] = listTests(undefined, undefined, "chaos");
    if (!withNodes || !membersOnly || !control) throw new Error("the chaos spec declares three tests");
    const chaos = (t: typeof withNodes, verdict: CapabilityTest["verdict"], skipReason?: string): CapabilityTest => ({
      name: t.fullName,
      capabilities: t.capabilities,
      negativeControl: t.negativeControl,
      verdict,
      ...(skipReason ? { skipReason } : {}),
    });
    const podFaultsOnly = "this run's --faults cut no node off: the member-faults test runs instead";
    const run = [chaos(withNodes, "skipped", podFaultsOnly), chaos(membersOnly, "held"), chaos(control, "flagged")];
    expect(verdictOf("writes-survive-node-faults", run)).toMatchObject({
      verdict: "not run",
      why: `only its negative controls ran; its checks were not run: ${podFaultsOnly}`,
    });
    const standsIn = { ...chaos(membersOnly, "skipped"), standIn: true as const };
    const withNodeFaults = [chaos(withNodes, "held"), standsIn, ...run.slice(2)];
    expect(verdictOf("writes-survive-node-faults", withNodeFaults)).toMatchObject({ verdict: "held" });
  });
});

describe("a proof narrowed by the run, or made on another class", () => {
  test("held on part of its proof, the rest left out by --skip: not run, saying so", () => {
    const left = { ...drain("skipped"), leftOut: true, skipReason: "left out by this run's --skip G39" };
    expect(verdictOf("drain", [drain("held"), drain("flagged", true), left])).toMatchObject({
      verdict: "not run",
      why: "part of its proof was left out (1 of its 3 tests: left out by this run's --skip G39)",
    });
    // a break is a break, whatever was left out
    expect(verdictOf("drain", [drain("BROKEN"), drain("flagged", true), left])?.verdict).toBe("BROKEN");
  });

  test("the power-loss tests ran on lazyfs: they prove lazyfs, not the class the run judges", () => {
    const cut: CapabilityTest = {
      name: "G9 power loss",
      capabilities: ["power-loss-durable"],
      negativeControl: false,
      verdict: "held",
    };
    const control = { ...cut, negativeControl: true, verdict: "flagged" as const };
    expect(verdictOf("power-loss-durable", onTheClass([cut, control], "lazyfs"))?.verdict).toBe("held");
    expect(verdictOf("power-loss-durable", onTheClass([cut, control], "standard"))).toMatchObject({
      verdict: "not run",
      why: "it ran on StorageClass lazyfs (a power cut needs it): it proves lazyfs, not standard",
    });
  });

  test("a chaos round that made fewer node and control-plane faults than all: writes-survive-node-faults held in part, naming them", () => {
    const round = (v: CapabilityTest["verdict"]): CapabilityTest[] => [
      { name: "Chaos G9 G23", capabilities: ["writes-survive-node-faults"], negativeControl: false, verdict: v },
      {
        name: "Chaos G9 control",
        capabilities: ["writes-survive-node-faults"],
        negativeControl: true,
        verdict: "flagged",
      },
    ];
    const of = (v: CapabilityTest["verdict"], made: Parameters<typeof ofTheRound>[1]) =>
      ofTheRound(capabilityVerdicts(round(v)), made).find((r) => r.id === "writes-survive-node-faults");
    expect(of("held", ["kubelet-stop"])).toMatchObject({
      verdict: "held in part",
      why: "its chaos round made kubelet-stop, not node-pause, node-stop, partition, api-restart",
    });
    expect(of("held", ["node-pause", "node-stop", "kubelet-stop", "partition", "api-restart"])?.verdict).toBe("held");
    expect(of("BROKEN", ["kubelet-stop"])?.verdict).toBe("BROKEN");
    // held in part already (a test stood in for another): both reasons named
    const inPart = { id: "writes-survive-node-faults", meaning: "", verdict: "held in part" as const, tests: [] };
    expect(ofTheRound([{ ...inPart, why: "a control stood in" }], ["kubelet-stop"])[0]?.why).toBe(
      "a control stood in; its chaos round made kubelet-stop, not node-pause, node-stop, partition, api-restart",
    );
  });
});
