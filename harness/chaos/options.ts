// The chaos command's input, checked before anything is touched: every mistake is one line (exit 2).
import { HarnessError } from "../errors/harness-error.js";
import { loadBudgets, type Budgets } from "./budgets.js";
import { faultKinds, isDisruptive, isFaultKind, madeOffKind, type FaultKind } from "./catalogue.js";

export interface ChaosFlags {
  duration?: string;
  seed?: string;
  faults?: string;
  budget?: string;
}

export interface ChaosPlan {
  durationMs: number;
  seed: number;
  faults: FaultKind[];
  budgets: Budgets;
}

/** `90s`, `30m`, `2h` (a whole number and a unit), between 1 minute and 24 hours. */
export function parseDuration(text: string): number {
  const m = /^(\d+)(s|m|h)$/.exec(text);
  const ms = m ? Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000 }[m[2] as "s" | "m" | "h"] : NaN;
  if (!(ms >= 60_000 && ms <= 24 * 3_600_000))
    throw new HarnessError(`--duration must be like 90s, 30m or 2h (1 minute to 24 hours), not "${text}"`);
  return ms;
}

export function parseSeed(text: string): number {
  if (!/^\d{1,9}$/.test(text)) throw new HarnessError(`--seed must be a whole number (up to 9 digits), not "${text}"`);
  return Number(text);
}

export function parseFaults(text: string): FaultKind[] {
  const words = text.split(",").map((w) => w.trim());
  const unknown = words.filter((w) => !isFaultKind(w));
  if (unknown.length > 0 || words.length === 0)
    throw new HarnessError(`unknown fault "${unknown[0] ?? text}"; known: ${faultKinds.join(", ")}`);
  return [...new Set(words)] as FaultKind[];
}

/** Where the run goes: whether it may disrupt nodes and the control plane, and whether the target is the suite's kind cluster. */
export interface ChaosTarget {
  disruptiveAllowed: boolean;
  onKind: boolean;
  now?: number;
}

/** The kinds a run on this target may make: every one on the suite's kind cluster; elsewhere those made off kind, disruptive ones on opt-in. */
export const kindsAllowedOn = (t: ChaosTarget): FaultKind[] =>
  faultKinds.filter((k) => (t.onKind || madeOffKind(k)) && (t.disruptiveAllowed || !isDisruptive(k)));

/**
 * The plan of a chaos run from its flags (duration 30m, a seed from the clock, by default every
 * kind this target allows). A kind asked for that cannot be made here, or that needs the opt-in,
 * is refused in one line: a run never drops what it was asked for.
 */
export function parseChaosFlags(flags: ChaosFlags, t: ChaosTarget): ChaosPlan {
  const plan = {
    durationMs: parseDuration(flags.duration ?? "30m"),
    seed: flags.seed === undefined ? (t.now ?? Date.now()) % 1_000_000_000 : parseSeed(flags.seed),
    faults: flags.faults === undefined ? kindsAllowedOn(t) : parseFaults(flags.faults),
    budgets: loadBudgets(flags.budget),
  };
  const notHere = plan.faults.filter((k) => !t.onKind && !madeOffKind(k));
  if (notHere.length > 0)
    throw new HarnessError(
      `${notHere.join(", ")} cannot be made on this cluster: they act on the suite's kind cluster's node containers ` +
        `or control plane; off kind, ${faultKinds.filter(madeOffKind).filter(isDisruptive).join(" and ")} reach a node through a privileged pod`,
    );
  const disruptive = plan.faults.filter(isDisruptive);
  if (disruptive.length > 0 && !t.disruptiveAllowed)
    throw new HarnessError(
      `faults on nodes and the control plane (${disruptive.join(", ")}) run only on the suite's kind cluster; ` +
        "set STS_ALLOW_DISRUPTIVE=1 to run them on this cluster, or pass --faults with pod faults only",
    );
  return plan;
}
