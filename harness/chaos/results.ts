// A chaos run's results, in the formats its users read: a line per fault kind (p50/p95/max),
// JUnit (a test case per fault iteration), JSON lines appended to a history file, and a
// Prometheus textfile (recovery times, lost writes, verdicts).
import type { FaultKind } from "./catalogue.js";

/** Something that did not hold in one iteration: a guarantee broken in its window, or its recovery budget. */
export interface IterationProblem {
  guarantee: "G23" | "recovery budget";
  text: string;
}

export interface IterationResult {
  iteration: number;
  fault: FaultKind;
  target: string;
  /** From the fault (member faults) or its undo (node and control-plane faults) to the set whole and writing. */
  recoveryMs: number;
  budgetMs: number;
  /** Why the iteration failed (over budget, a guarantee broken in its window); empty when it held. */
  problems: IterationProblem[];
  /** Why the fault was not injected (it would disrupt more members than the set's budget allows). */
  skipped?: string;
  /** Why the suite could not finish the iteration (a fault not undone, the cluster unreachable): the run stops there. */
  error?: string;
  /**
   * A node fault's G23 window: the members on the node, and those the taint manager evicted in it
   * (Terminating while the node was cut off: what G23 is about). None evicted: G23 not exercised.
   */
  g23?: { members: string[]; evicted: string[] };
  /** Why G23 could not be decided in the window (a watch gap that may hide a change): inconclusive. */
  undecided?: string;
  /** The set was not whole again within the budget and its margin (failed, and the run ends there). */
  unrecovered?: boolean;
  /** The harness's resident memory after the iteration: flat over a long run, or something grows. */
  rssBytes: number;
}

export interface RunResult {
  seed: number;
  startedAt: string;
  iterations: IterationResult[];
  /** Undefined when the members' journals could not be read (a run cut short with the cluster down). */
  lostWrites: number | undefined;
  acknowledgedWrites: number;
  /** Writes no log line was read for (neither ack nor fail): whether they were lost is not known. */
  unseenWrites: number;
  rssStartBytes: number;
  rssEndBytes: number;
}

/** An iteration's verdict: inconclusive when the suite could not decide, never failed for it. */
export type IterationVerdict = "held" | "failed" | "skipped" | "inconclusive";

export function verdictOf(i: IterationResult): IterationVerdict {
  if (i.error !== undefined) return "inconclusive";
  if (i.skipped !== undefined) return "skipped";
  if (i.problems.length > 0) return "failed";
  return i.undecided !== undefined ? "inconclusive" : "held";
}

/** G23 over the run: node-fault windows, those in which a member was evicted, and the evictions. */
export function g23Windows(iterations: IterationResult[]): { windows: number; exercised: number; evictions: number } {
  const windows = iterations.flatMap((i) => (i.g23 ? [i.g23] : []));
  return {
    windows: windows.length,
    exercised: windows.filter((w) => w.evicted.length > 0).length,
    evictions: windows.reduce((n, w) => n + w.evicted.length, 0),
  };
}

/** The value below which `p` of the sorted values lie (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
}

export interface KindStats {
  fault: FaultKind;
  /** Injected and decided (skipped and inconclusive ones apart). */
  count: number;
  failed: number;
  skipped: number;
  inconclusive: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export function statsByKind(iterations: IterationResult[]): KindStats[] {
  const kinds = [...new Set(iterations.map((i) => i.fault))].sort();
  return kinds.map((fault) => {
    const all = iterations.filter((i) => i.fault === fault);
    const count = (v: IterationVerdict) => all.filter((i) => verdictOf(i) === v).length;
    const decided = all.filter((i) => verdictOf(i) === "held" || verdictOf(i) === "failed");
    const times = decided.map((i) => i.recoveryMs).sort((a, b) => a - b);
    return {
      fault,
      count: decided.length,
      failed: count("failed"),
      skipped: count("skipped"),
      inconclusive: count("inconclusive"),
      p50Ms: percentile(times, 0.5),
      p95Ms: percentile(times, 0.95),
      maxMs: times.at(-1) ?? NaN,
    };
  });
}

const s = (ms: number) => (ms / 1000).toFixed(1);
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

export function formatStats(r: RunResult): string {
  const cell = (ms: number) => (Number.isNaN(ms) ? "-" : s(ms)).padStart(6);
  const rows = statsByKind(r.iterations).map(
    (k) =>
      `${k.fault.padEnd(17)} ${String(k.count).padStart(3)} ${String(k.failed).padStart(6)}  ` +
      `${cell(k.p50Ms)} ${cell(k.p95Ms)} ${cell(k.maxMs)}` +
      (k.skipped > 0 ? `  (${k.skipped} skipped: over the budget of disruptions)` : "") +
      (k.inconclusive > 0 ? `  (${k.inconclusive} inconclusive)` : ""),
  );
  const g23 = g23Windows(r.iterations);
  const lost =
    r.lostWrites === undefined ? "lost ones not known (the journals could not be read)" : `${r.lostWrites} lost`;
  const cutShort = r.iterations.find((i) => i.error !== undefined);
  return [
    `seed ${r.seed}: ${r.iterations.length} faults, ${r.acknowledgedWrites} acknowledged writes, ${lost}` +
      (r.unseenWrites > 0 ? `, ${r.unseenWrites} unseen (no log line read: not known whether acknowledged)` : ""),
    ...(cutShort
      ? [`cut short at #${cutShort.iteration} ${cutShort.fault} ${cutShort.target}: ${cutShort.error}`]
      : []),
    `G23: ${g23.windows} node-fault window(s), ${g23.exercised} with a member evicted in it (${g23.evictions} eviction(s))`,
    `harness memory (RSS): ${mib(r.rssStartBytes)} at the start, ${mib(r.rssEndBytes)} at the end`,
    "fault              runs failed  p50 s  p95 s  max s",
    ...rows,
  ].join("\n");
}

/**
 * An iteration's JSON line, stamped with its run, for a history file that grows night after
 * night; appended as each fault completes, so a run killed midway keeps what it did.
 */
export function historyLine(r: Pick<RunResult, "startedAt" | "seed">, i: IterationResult): string {
  const line = { run: r.startedAt, seed: r.seed, ...i, problems: i.problems.map((p) => p.text), verdict: verdictOf(i) };
  return `${JSON.stringify(line)}\n`;
}

/** An iteration's progress line: `chaos #3 pod-kill web-1: recovered in 12.3 s (budget 60 s)`, or what else happened. */
export function faultLine(i: IterationResult): string {
  const head = `chaos #${i.iteration} ${i.fault} ${i.target}:`;
  const budget = `budget ${s(i.budgetMs)} s`;
  switch (verdictOf(i)) {
    case "skipped":
      return `${head} skipped (${i.skipped ?? ""})`;
    case "inconclusive":
      return i.error !== undefined
        ? `${head} not finished: ${i.error}`
        : `${head} applied, recovered in ${s(i.recoveryMs)} s (${budget}); inconclusive: ${i.undecided ?? ""}`;
    case "failed":
      return `${head} applied, FAILED: ${i.problems.map((p) => `${p.guarantee}: ${p.text}`).join("; ")}`;
    case "held":
      return `${head} applied, recovered in ${s(i.recoveryMs)} s (${budget})`;
  }
}

/**
 * A Prometheus textfile (node_exporter's textfile collector reads it; write it to a temporary file
 * and rename it into place). Recovery per kind is a summary: nearest-rank quantiles of this run's
 * faults, with their sum and count; the max is a gauge of its own.
 */
export function toPrometheus(r: RunResult): string {
  const g23 = g23Windows(r.iterations);
  const stats = statsByKind(r.iterations);
  const decided = (fault: FaultKind) =>
    r.iterations.filter((i) => i.fault === fault && (verdictOf(i) === "held" || verdictOf(i) === "failed"));
  const lines = [
    "# HELP sts_chaos_run_info The chaos run these values are of: its seed and start.",
    "# TYPE sts_chaos_run_info gauge",
    `sts_chaos_run_info{seed="${r.seed}",started="${r.startedAt}"} 1`,
    "# HELP sts_chaos_recovery_seconds Recovery time per fault kind: nearest-rank quantiles over this run's faults of the kind.",
    "# TYPE sts_chaos_recovery_seconds summary",
    ...stats.flatMap((k) => [
      `sts_chaos_recovery_seconds{fault="${k.fault}",quantile="0.5"} ${s(k.p50Ms)}`,
      `sts_chaos_recovery_seconds{fault="${k.fault}",quantile="0.95"} ${s(k.p95Ms)}`,
      `sts_chaos_recovery_seconds_sum{fault="${k.fault}"} ${s(decided(k.fault).reduce((a, i) => a + i.recoveryMs, 0))}`,
      `sts_chaos_recovery_seconds_count{fault="${k.fault}"} ${k.count}`,
    ]),
    "# HELP sts_chaos_recovery_max_seconds The longest recovery per fault kind in this run.",
    "# TYPE sts_chaos_recovery_max_seconds gauge",
    ...stats.map((k) => `sts_chaos_recovery_max_seconds{fault="${k.fault}"} ${s(k.maxMs)}`),
    "# HELP sts_chaos_faults_total Faults per kind and verdict (skipped: the set's budget did not allow it).",
    "# TYPE sts_chaos_faults_total counter",
    ...stats.flatMap((k) => [
      `sts_chaos_faults_total{fault="${k.fault}",verdict="held"} ${k.count - k.failed}`,
      `sts_chaos_faults_total{fault="${k.fault}",verdict="failed"} ${k.failed}`,
      `sts_chaos_faults_total{fault="${k.fault}",verdict="skipped"} ${k.skipped}`,
      `sts_chaos_faults_total{fault="${k.fault}",verdict="inconclusive"} ${k.inconclusive}`,
    ]),
    "# HELP sts_chaos_lost_acknowledged_writes Acknowledged writes missing after the run (must be 0; NaN: not read).",
    "# TYPE sts_chaos_lost_acknowledged_writes gauge",
    `sts_chaos_lost_acknowledged_writes ${r.lostWrites ?? "NaN"}`,
    "# HELP sts_chaos_acknowledged_writes Writes acknowledged during the run.",
    "# TYPE sts_chaos_acknowledged_writes gauge",
    `sts_chaos_acknowledged_writes ${r.acknowledgedWrites}`,
    "# HELP sts_chaos_unseen_writes Writes no log line was read for (their acknowledgement not known; should be 0).",
    "# TYPE sts_chaos_unseen_writes gauge",
    `sts_chaos_unseen_writes ${r.unseenWrites}`,
    "# HELP sts_chaos_g23_windows Node-fault windows G23 was checked over, and those with a member evicted in them.",
    "# TYPE sts_chaos_g23_windows gauge",
    `sts_chaos_g23_windows{evicted="any"} ${g23.windows}`,
    `sts_chaos_g23_windows{evicted="some"} ${g23.exercised}`,
    "# HELP sts_chaos_g23_evictions Members evicted while their node was cut off (G23 exercised on each).",
    "# TYPE sts_chaos_g23_evictions gauge",
    `sts_chaos_g23_evictions ${g23.evictions}`,
    "# HELP sts_chaos_harness_rss_bytes The harness's resident memory at the run's start and end.",
    "# TYPE sts_chaos_harness_rss_bytes gauge",
    `sts_chaos_harness_rss_bytes{at="start"} ${r.rssStartBytes}`,
    `sts_chaos_harness_rss_bytes{at="end"} ${r.rssEndBytes}`,
  ];
  return `${lines.join("\n")}\n`;
}
