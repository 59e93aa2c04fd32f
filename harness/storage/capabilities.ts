// What a StorageClass must do for a StatefulSet, as capabilities a storage vendor reads one verdict
// each for (the catalogue, harness/catalogue/capabilities.ts). Each is proved by the suite's own
// tests on the real cluster, checks and their negative controls, each naming in its metadata the
// capabilities it proves. The verdict of a capability is the worst of its tests': one BROKEN check
// (or MISSED control) breaks it; otherwise one inconclusive test leaves it undecided.
import { capabilityCatalogue, capabilityIds, type CapabilityId } from "../catalogue/capabilities.js";
import { count, type TestVerdict } from "../report/summary.js";
import type { Promises } from "./profile.js";

/** A profile's promise a capability verifies (topology: always claimed; its value is what is verified). */
type ProfilePromise = "topology" | Exclude<keyof Promises, "topology" | "zoneKey" | "accessModes" | "bindingMode">;

/** The capabilities a profile promises; the others every class a StatefulSet uses must have (required). */
const promises: Partial<Record<CapabilityId, ProfilePromise>> = {
  "power-loss-durable": "powerLossDurable",
  "binding-and-topology": "topology",
  expansion: "expansion",
  "fs-group": "fsGroup",
  drain: "topology",
  "node-loss": "topology",
};

export interface Capability {
  id: CapabilityId;
  /** What the class must do, in a line. */
  meaning: string;
  /** The promise of a profile it verifies; none: required of every class. */
  promise?: ProfilePromise;
}

export const capabilities: Capability[] = capabilityIds.map((id) => ({
  id,
  meaning: capabilityCatalogue[id].meaning,
  ...(promises[id] ? { promise: promises[id] } : {}),
}));

/** A test as the capabilities see it: what it proves, whether it is a control, how it came out. */
export interface CapabilityTest {
  name: string;
  /** The capabilities it proves (its metadata's). */
  capabilities: string[];
  /** A negative control: it proves its check can fail. */
  negativeControl: boolean;
  verdict: TestVerdict;
  skipReason?: string;
  /** Left out by the run's narrowing (--focus, --skip, --rerun-failed). */
  leftOut?: boolean;
  /** Skipped by design: another test of the run stands in for it (no hole in the proof). */
  standIn?: true;
}

/** "held in part": what ran held, but some of its tests could not run here (a proof with a hole). */
export type CapabilityVerdict = "held" | "held in part" | "BROKEN" | "inconclusive" | "not run";

export interface CapabilityResult {
  id: string;
  meaning: string;
  verdict: CapabilityVerdict;
  /** The tests behind the verdict that did not hold, by name and verdict (all of them when it held). */
  tests: { name: string; verdict: TestVerdict }[];
  /** Why a capability, or part of its proof, was not run: its tests' skip reason, or that none was selected. */
  why?: string;
}

/** Whether a test is part of the proof of `c` (it says so in its metadata). */
export const proves = (c: Capability, t: Pick<CapabilityTest, "capabilities">): boolean =>
  t.capabilities.includes(c.id);

const isControl = (t: CapabilityTest) => t.negativeControl;

/** Why the first of `left` that says why was not run. */
const reasonOf = (left: CapabilityTest[]) => left.find((t) => t.skipReason)?.skipReason ?? "skipped";

/**
 * Why a proof that held is still no proof: its checks all left out (only their controls ran), or
 * its controls all left out (nothing shows the checks can fail). Undefined when both sides ran.
 */
function oneSided(all: CapabilityTest[], ran: CapabilityTest[]): string | undefined {
  if (all.some((t) => !isControl(t)) && !ran.some((t) => !isControl(t)))
    return `only its negative controls ran; its checks were not run: ${reasonOf(all.filter((t) => !isControl(t)))}`;
  if (all.some(isControl) && !ran.some(isControl))
    return `none of its negative controls ran, so nothing shows its checks can fail: ${reasonOf(all.filter(isControl))}`;
  return undefined;
}

/** Why a capability's verdict rests on less than all its tests: none selected, none run, or some not run here. */
function whyNotWhole(
  all: CapabilityTest[],
  holes: CapabilityTest[],
  skipped: CapabilityTest[],
  verdict: CapabilityVerdict,
): string | undefined {
  if (all.length === 0) return "none of its tests was selected";
  if (verdict === "not run") return reasonOf(holes.length ? holes : skipped);
  if (holes.length > 0) return `${holes.length} of its ${all.length} tests not run: ${reasonOf(holes)}`;
  return undefined;
}

/**
 * One verdict per capability over the tests that ran. A capability with none of its tests run (not
 * selected, or every one skipped here: say, node faults off this cluster) is "not run", never held;
 * so is one that held on its checks alone or its controls alone, or on part of its proof when the
 * run's --focus/--skip/--rerun-failed left the rest out (those come as skipped and `leftOut`). One
 * whose tests ran and held but some could not run here (skipped) is "held in part", never held.
 */
export function capabilityVerdicts(tests: CapabilityTest[]): CapabilityResult[] {
  return capabilities.map((c) => {
    const all = tests.filter((t) => proves(c, t));
    const mine = all.filter((t) => t.verdict !== "skipped");
    const counts = count(mine); // the run's own classes: a flagged control held, a MISSED one broke
    const judged: CapabilityVerdict =
      mine.length === 0 ? "not run" : counts.broken > 0 ? "BROKEN" : counts.inconclusive > 0 ? "inconclusive" : "held";
    const left = all.filter((t) => t.leftOut);
    const partial =
      judged !== "held"
        ? undefined
        : left.length > 0
          ? `part of its proof was left out (${left.length} of its ${all.length} tests: ${left[0]?.skipReason ?? "not selected"})`
          : oneSided(all, mine);
    const skipped = all.filter((t) => t.verdict === "skipped");
    const holes = skipped.filter((t) => !t.standIn);
    const verdict: CapabilityVerdict = partial
      ? "not run"
      : judged === "held" && holes.length > 0
        ? "held in part"
        : judged;
    const shown =
      verdict === "held" || verdict === "held in part"
        ? mine
        : mine.filter((t) => t.verdict !== "held" && t.verdict !== "flagged");
    const why = partial ?? whyNotWhole(all, holes, skipped, verdict);
    return {
      id: c.id,
      meaning: c.meaning,
      verdict,
      tests: shown.map((t) => ({ name: t.name, verdict: t.verdict })),
      ...(why ? { why } : {}),
    };
  });
}
