// A chaos run's schedule, made from a seed: the same seed, faults and targets give the same
// sequence of faults, so a night's run can be replayed. One fault at a time; the next starts once
// the set has recovered from the last.
import { HarnessError } from "../errors/harness-error.js";
import type { Budgets } from "./budgets.js";
import { scopeOf, type FaultKind } from "./catalogue.js";

export interface Targets {
  /** The set's member ordinals. */
  members: number[];
  /** The nodes a node fault may take (workers only: the control plane runs the API). */
  nodes: string[];
}

/** The set a chaos run disrupts, as the run makes it and the dry run prints it. */
export const chaosSet = { name: "web", replicas: 3 } as const;

/** The targets of a chaos run on `chaosSet` with these workers. */
export const chaosTargets = (nodes: string[]): Targets => ({
  members: Array.from({ length: chaosSet.replicas }, (_, i) => i),
  nodes,
});

export interface ScheduledFault {
  /** 1-based. */
  iteration: number;
  fault: FaultKind;
  /** `web-<ordinal>`'s ordinal, a node name, or "control-plane". */
  target: string;
}

/** A fault as planned before the run: its start at the latest, ms from the run's start. */
export type PlannedFault = ScheduledFault & { atMs: number };

/** mulberry32: a small, well-mixed 32-bit generator; enough for picking faults and targets. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The run's faults, endless: in rounds, every kind once per round in an order the seed shuffles,
 * targets picked by the seed. A run takes from it until its time is up, so a slow cluster gets
 * fewer faults than a fast one, but always these, in this order.
 */
export function* faultSequence(
  seed: number,
  kinds: FaultKind[],
  targets: Targets,
  memberPrefix: string,
): Generator<ScheduledFault> {
  // an empty round would never yield: the run would spin without ending
  if (kinds.length === 0) throw new HarnessError("a chaos run needs at least one fault kind to run");
  const next = random(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(next() * xs.length)] as T;
  for (let iteration = 1; ;) {
    const round = [...kinds];
    for (let i = round.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [round[i], round[j]] = [round[j] as FaultKind, round[i] as FaultKind];
    }
    for (const fault of round) {
      const scope = scopeOf[fault];
      const target =
        scope === "member"
          ? `${memberPrefix}-${pick(targets.members)}`
          : scope === "node"
            ? pick(targets.nodes)
            : "control-plane";
      yield { iteration: iteration++, fault, target };
    }
  }
}

/** A fault taken from the sequence: made, or skipped (it would have disrupted more than the budget allows). */
export interface TakenFault {
  fault: FaultKind;
  skipped?: string;
}

/** How many rounds a run goes on past its time for a kind skipped each time it came up. */
const roundsForSkipped = 3;

/**
 * Whether a run stops: its time is up, and every kind was made at least once. A skipped fault
 * counts for nothing: the run takes further rounds, up to a bound, to make the kinds skipped.
 */
export function runIsOver(taken: TakenFault[], kinds: FaultKind[], elapsedMs: number, durationMs: number): boolean {
  if (elapsedMs < durationMs) return false;
  const made = new Set(taken.filter((f) => f.skipped === undefined).map((f) => f.fault));
  return kinds.every((k) => made.has(k)) || taken.length >= roundsForSkipped * kinds.length;
}

/**
 * The schedule as planned before the run (what `--dry-run` shows): the sequence's faults, each
 * planned to take its whole recovery budget, that start within `durationMs`; at least one round.
 * A cluster that recovers faster gets further down the same sequence.
 */
export function makeSchedule(
  seed: number,
  durationMs: number,
  kinds: FaultKind[],
  budgets: Budgets,
  targets: Targets,
  memberPrefix: string,
): PlannedFault[] {
  const schedule: PlannedFault[] = [];
  let at = 0;
  for (const f of faultSequence(seed, kinds, targets, memberPrefix)) {
    if (runIsOver(schedule, kinds, at, durationMs)) return schedule;
    schedule.push({ ...f, atMs: at });
    at += budgets[f.fault] * 1000;
  }
  return schedule;
}

/** The schedule as `--dry-run` prints it: one line per fault. */
export function formatSchedule(schedule: PlannedFault[]): string {
  const at = (ms: number) => {
    const s = Math.round(ms / 1000);
    return `${String(Math.floor(s / 60)).padStart(3)}m${String(s % 60).padStart(2, "0")}s`;
  };
  return schedule
    .map((f) => `#${String(f.iteration).padStart(3)} ${at(f.atMs)}  ${f.fault.padEnd(17)} ${f.target}`)
    .join("\n");
}
