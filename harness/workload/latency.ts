// The writer's acknowledged-write latency, read from its log: each acknowledgement's time since the
// member's previous line (kubelet timestamps), less the writer's pause between two writes. Split
// into before, during and after an upgrade (its first and last node change), so a control plane or
// a node pool that slows every write shows as a rise, and judged against a budget when one is set.
import type { Violation } from "../verdict/violation.js";
import { parseWriterLine } from "./ledger.js";

export interface LatencySample {
  /** When the acknowledgement was logged (ms, the node's clock). */
  t: number;
  ms: number;
}

/** Latency samples of every acknowledgement the log holds, in log order. */
export function writeLatencies(lines: string[], pauseMs: number): LatencySample[] {
  const previous = new Map<string, number>();
  const samples: LatencySample[] = [];
  for (const line of lines) {
    const parsed = parseWriterLine(line);
    if (!parsed) continue;
    const { t, what, member } = parsed;
    const before = previous.get(member);
    previous.set(member, t);
    if (what === "ack" && before !== undefined) samples.push({ t, ms: Math.max(0, t - before - pauseMs) });
  }
  return samples;
}

export interface LatencyStats {
  count: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export type Phase = "before" | "during" | "after";
export const phases: Phase[] = ["before", "during", "after"];

/** The nearest-rank percentile of sorted values. */
const percentile = (sorted: number[], p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

function stats(ms: number[]): LatencyStats | undefined {
  if (ms.length === 0) return undefined;
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    maxMs: sorted.at(-1) ?? 0,
  };
}

/** The samples' statistics before, during and after the upgrade window (from, to: ms); a phase without samples is absent. */
export function latencyByPhase(
  samples: LatencySample[],
  upgrade: { fromMs: number; toMs: number },
): Partial<Record<Phase, LatencyStats>> {
  const of = (phase: Phase) =>
    samples
      .filter((s) =>
        phase === "before"
          ? s.t < upgrade.fromMs
          : phase === "after"
            ? s.t > upgrade.toMs
            : s.t >= upgrade.fromMs && s.t <= upgrade.toMs,
      )
      .map((s) => s.ms);
  return Object.fromEntries(
    phases.flatMap((p) => {
      const s = stats(of(p));
      return s ? [[p, s] as const] : [];
    }),
  );
}

/** The table of a report: a line per phase. */
export const latencyTable = (byPhase: Partial<Record<Phase, LatencyStats>>): string =>
  phases
    .map((p) => {
      const s = byPhase[p];
      return s
        ? `${p.padEnd(6)}  ${String(s.count).padStart(7)} writes  p50 ${s.p50Ms} ms  p95 ${s.p95Ms} ms  max ${s.maxMs} ms`
        : `${p.padEnd(6)}  no acknowledged write`;
    })
    .join("\n");

/** Each phase whose p95 is over the budget (ms): what a regression of the workload's latency looks like. */
export function latencyOverBudget(byPhase: Partial<Record<Phase, LatencyStats>>, budgetMs: number): Violation[] {
  return phases.flatMap((p) => {
    const s = byPhase[p];
    if (!s || s.p95Ms <= budgetMs) return [];
    return [
      {
        guarantee: "latency",
        pod: "writer",
        expected: `acknowledged writes ${p} the upgrade at p95 ${budgetMs} ms or less (STS_UPGRADE_LATENCY_P95_MS)`,
        seen: `p95 ${s.p95Ms} ms over ${s.count} writes (p50 ${s.p50Ms} ms, max ${s.maxMs} ms)`,
      },
    ];
  });
}
