// What a StorageClass must do for a StatefulSet, as capabilities a storage vendor reads one verdict
// each for. Each capability is proved by the suite's own tests on the real cluster (checks and their
// negative controls), named here by spec file and, where a file checks more than one thing, by
// guarantee. The verdict of a capability is the worst of its tests': one BROKEN check (or MISSED
// control) breaks it; otherwise one inconclusive test leaves it undecided.
import { count, type TestVerdict } from "../report/summary.js";
import type { Promises } from "./profile.js";

/**
 * Which tests prove a capability: those of `file`; if `guarantees` is given, whose title names one
 * of them; with `controlsOnly`, its negative controls alone (the file's checks prove something else).
 */
interface Proof {
  file: string;
  guarantees?: string[];
  controlsOnly?: true;
  /** Tests whose title holds this phrase prove something else (how a fault is made, not the storage). */
  except?: string;
}

export interface Capability {
  id: string;
  /** What the class must do, in a line. */
  meaning: string;
  /**
   * The promise of a profile it verifies; none: every class a StatefulSet uses must have it
   * (required). Topology is always claimed (its value is what is verified).
   */
  promise?: "topology" | Exclude<keyof Promises, "topology" | "zoneKey" | "accessModes" | "bindingMode">;
  proofs: Proof[];
}

export const capabilities: Capability[] = [
  {
    id: "data-follows-the-member",
    meaning:
      "a replaced pod gets its own claim back, same volume, with its data; also after scale to 0 and back and a set recreated",
    proofs: [{ file: "suites/pod-replacement.test.ts" }, { file: "suites/persistence.test.ts" }],
  },
  {
    id: "acknowledged-writes-durable",
    meaning: "every fsynced, acknowledged record survives a pod delete and a container kill, once and in order",
    proofs: [{ file: "suites/workload.test.ts" }],
  },
  {
    id: "power-loss-durable",
    meaning: "every fsynced, acknowledged record survives power cuts of its node (unsynced writes may be lost)",
    promise: "powerLossDurable",
    proofs: [{ file: "suites/power-loss.test.ts" }],
  },
  {
    id: "binding-and-topology",
    meaning:
      "each claim binds as the binding mode says (WaitForFirstConsumer: where its pod is scheduled), its volume's node affinity as the topology says; bound and mounted within budget",
    promise: "topology",
    proofs: [{ file: "suites/storage-binding.test.ts" }],
  },
  {
    id: "expansion",
    meaning: "a member's claim grown (the claim patched) grows the filesystem its pod sees, within budget, data intact",
    promise: "expansion",
    proofs: [{ file: "suites/storage-expansion.test.ts" }],
  },
  {
    id: "fs-group",
    meaning: "a pod's fsGroup owns its volume: the group of the data directory, and the setgid bit",
    promise: "fsGroup",
    proofs: [{ file: "suites/storage-fs-group.test.ts" }],
  },
  {
    id: "claims-kept",
    meaning: "claims of removed members stay (default Retain) and are bound again, with their data, on scale-up",
    proofs: [
      { file: "suites/scale-down.test.ts", guarantees: ["G10"] },
      { file: "suites/pvc-retention.test.ts", guarantees: ["G10"] },
      { file: "suites/set-deletion.test.ts" },
    ],
  },
  {
    id: "claims-deleted-by-policy",
    meaning: "with a Delete retention policy, a claim is deleted only after its pod is gone",
    proofs: [{ file: "suites/pvc-retention.test.ts", guarantees: ["G11"] }],
  },
  {
    id: "claim-recreated",
    meaning: "a claim deleted under a Pending member is provisioned again and the member starts",
    proofs: [{ file: "suites/claim-recreation.test.ts" }],
  },
  {
    id: "drain",
    meaning:
      "a member evicted from a cordoned node comes back with its data: elsewhere (within budget) if the volume can move, on its node once uncordoned if pinned",
    promise: "topology",
    proofs: [{ file: "suites/node-drain.test.ts" }],
  },
  {
    id: "node-loss",
    meaning:
      "a member lost with its node is not doubled; out of service, it is created again and gets its volume (pinned: once the node is back)",
    promise: "topology",
    // the kubelet stopped by a privileged pod tests the suite's fault path off kind; the paused
    // node already proves what the volume does
    proofs: [{ file: "suites/node-loss.test.ts", except: "a privileged pod stopped" }],
  },
  {
    id: "writes-survive-node-faults",
    meaning: "no acknowledged record lost through node stop, pause, partition, kubelet stop and API server restart",
    // The round that cuts nodes off (G23), not the one of member faults alone: that proves nothing
    // about node faults, and is all a run of pod faults (off kind, without the opt-in) has.
    proofs: [
      { file: "suites/chaos.test.ts", guarantees: ["G23"] },
      { file: "suites/chaos.test.ts", guarantees: ["G9"], controlsOnly: true },
    ],
  },
];

/** A test as the capabilities see it: where it is, what it checks, how it came out. */
export interface CapabilityTest {
  file: string;
  name: string;
  guarantees: string[];
  /** A negative control (the summary reads it from the title): it proves its check can fail. */
  negativeControl: boolean;
  verdict: TestVerdict;
  skipReason?: string;
}

export type CapabilityVerdict = "held" | "BROKEN" | "inconclusive" | "not run";

export interface CapabilityResult {
  id: string;
  meaning: string;
  verdict: CapabilityVerdict;
  /** The tests behind the verdict that did not hold, by name and verdict (all of them when it held). */
  tests: { name: string; verdict: TestVerdict }[];
  /** Why a capability, or part of its proof, was not run: its tests' skip reason, or that none was selected. */
  why?: string;
}

/** Whether a test, given by its spec file, title, the guarantees the title names and its kind, proves `c`. */
export function proves(
  c: Capability,
  t: { file: string; title: string; guarantees: string[]; negativeControl: boolean },
): boolean {
  return c.proofs.some(
    (p) =>
      p.file === t.file &&
      (!p.guarantees || p.guarantees.some((g) => t.guarantees.includes(g))) &&
      (!p.controlsOnly || t.negativeControl) &&
      (!p.except || !t.title.includes(p.except)),
  );
}

const isControl = (t: CapabilityTest) => t.negativeControl;

/**
 * Why a proof that held is still no proof: its checks all left out (only their controls ran), or
 * its controls all left out (nothing shows the checks can fail). Undefined when both sides ran.
 */
function oneSided(all: CapabilityTest[], ran: CapabilityTest[]): string | undefined {
  const reasonOf = (left: CapabilityTest[]) => left.find((t) => t.skipReason)?.skipReason ?? "skipped";
  if (all.some((t) => !isControl(t)) && !ran.some((t) => !isControl(t)))
    return `only its negative controls ran; its checks were not run: ${reasonOf(all.filter((t) => !isControl(t)))}`;
  if (all.some(isControl) && !ran.some(isControl))
    return `none of its negative controls ran, so nothing shows its checks can fail: ${reasonOf(all.filter(isControl))}`;
  return undefined;
}

/**
 * One verdict per capability over the tests that ran. A capability with none of its tests run (not
 * selected, or every one skipped here: say, node faults off this cluster) is "not run", never held;
 * so is one that held on its checks alone or its controls alone. Tests the run's --focus/--skip
 * left out come as skipped, with that reason.
 */
export function capabilityVerdicts(tests: CapabilityTest[]): CapabilityResult[] {
  return capabilities.map((c) => {
    const all = tests.filter((t) => proves(c, { ...t, title: t.name }));
    const mine = all.filter((t) => t.verdict !== "skipped");
    const counts = count(mine); // the run's own classes: a flagged control held, a MISSED one broke
    const judged: CapabilityVerdict =
      mine.length === 0 ? "not run" : counts.broken > 0 ? "BROKEN" : counts.inconclusive > 0 ? "inconclusive" : "held";
    const partial = judged === "held" ? oneSided(all, mine) : undefined;
    const verdict: CapabilityVerdict = partial ? "not run" : judged;
    const shown = verdict === "held" ? mine : mine.filter((t) => t.verdict !== "held" && t.verdict !== "flagged");
    const skipped = all.filter((t) => t.verdict === "skipped");
    const reason = skipped.find((t) => t.skipReason)?.skipReason ?? "skipped";
    const why =
      partial ??
      (all.length === 0
        ? "none of its tests was selected"
        : skipped.length === 0
          ? undefined
          : verdict === "not run"
            ? reason
            : `${skipped.length} of its ${all.length} tests not run: ${reason}`); // held on part of its proof
    return {
      id: c.id,
      meaning: c.meaning,
      verdict,
      tests: shown.map((t) => ({ name: t.name, verdict: t.verdict })),
      ...(why ? { why } : {}),
    };
  });
}
