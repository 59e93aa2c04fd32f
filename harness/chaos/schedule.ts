// A chaos run's schedule, made from a seed: the same seed, duration, faults and targets give the
// same schedule, so a night's run can be replayed. One fault at a time; each is followed by its
// recovery budget and a pause before the next.
import type { Budgets } from "./budgets.js";
import { scopeOf, type FaultKind } from "./faults.js";

export interface Targets {
  /** The set's member ordinals. */
  members: number[];
  /** The nodes a node fault may take (workers only: the control plane runs the API). */
  nodes: string[];
}

export interface ScheduledFault {
  /** 1-based. */
  iteration: number;
  /** Planned start, ms from the run's start (the run waits for recovery, so later ones may slip). */
  atMs: number;
  fault: FaultKind;
  /** `web-<ordinal>`'s ordinal, a node name, or "control-plane". */
  target: string;
}

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

/** Pause between one fault's recovery budget and the next fault: 5 to 20 s. */
const pauseMs = (next: () => number) => 5_000 + Math.floor(next() * 15_000);

/**
 * Faults in rounds: every kind once per round, in an order the seed shuffles, so a short run still
 * sees every kind; targets picked by the seed. Stops when the next fault's budget would end after
 * `durationMs`.
 */
export function makeSchedule(
  seed: number,
  durationMs: number,
  kinds: FaultKind[],
  budgets: Budgets,
  targets: Targets,
  memberPrefix: string,
): ScheduledFault[] {
  const next = random(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const schedule: ScheduledFault[] = [];
  let at = 0;
  for (;;) {
    const round = [...kinds];
    for (let i = round.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [round[i], round[j]] = [round[j] as FaultKind, round[i] as FaultKind];
    }
    for (const fault of round) {
      if (at + budgets[fault] * 1000 > durationMs) return schedule;
      const scope = scopeOf[fault];
      const target =
        scope === "member"
          ? `${memberPrefix}-${pick(targets.members)}`
          : scope === "node"
            ? pick(targets.nodes)
            : "control-plane";
      schedule.push({ iteration: schedule.length + 1, atMs: at, fault, target });
      at += budgets[fault] * 1000 + pauseMs(next);
    }
  }
}

/** The schedule as `--dry-run` prints it: one line per fault. */
export function formatSchedule(schedule: ScheduledFault[]): string {
  const at = (ms: number) => {
    const s = Math.round(ms / 1000);
    return `${String(Math.floor(s / 60)).padStart(3)}m${String(s % 60).padStart(2, "0")}s`;
  };
  return schedule
    .map((f) => `#${String(f.iteration).padStart(3)} ${at(f.atMs)}  ${f.fault.padEnd(17)} ${f.target}`)
    .join("\n");
}
