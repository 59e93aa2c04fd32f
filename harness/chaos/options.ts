// The chaos command's input, checked before anything is touched: every mistake is one line (exit 2).
import { HarnessError } from "../errors/harness-error.js";
import { loadBudgets, type Budgets } from "./budgets.js";
import { faultKinds, isDisruptive, isFaultKind, type FaultKind } from "./catalogue.js";

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

/**
 * The plan of a chaos run from its flags (duration 30m, a seed from the clock, every fault by
 * default). Node and control-plane faults need the suite's kind cluster or the opt-in.
 */
export function parseChaosFlags(flags: ChaosFlags, o: { disruptiveAllowed: boolean; now?: number }): ChaosPlan {
  const plan = {
    durationMs: parseDuration(flags.duration ?? "30m"),
    seed: flags.seed === undefined ? (o.now ?? Date.now()) % 1_000_000_000 : parseSeed(flags.seed),
    faults: flags.faults === undefined ? [...faultKinds] : parseFaults(flags.faults),
    budgets: loadBudgets(flags.budget),
  };
  const disruptive = plan.faults.filter(isDisruptive);
  if (disruptive.length > 0 && !o.disruptiveAllowed)
    throw new HarnessError(
      `faults on nodes and the control plane (${disruptive.join(", ")}) run only on the suite's kind cluster; ` +
        "set STS_ALLOW_DISRUPTIVE=1 to run them on this cluster, or pass --faults with pod faults only",
    );
  return plan;
}
