// A chaos run's results, in the formats its users read: a line per fault kind (p50/p95/max),
// JUnit (a test case per fault iteration), JSON lines appended to a history file, and a
// Prometheus textfile (recovery times, lost writes, verdicts).
import type { FaultKind } from "./faults.js";

export interface IterationResult {
  iteration: number;
  fault: FaultKind;
  target: string;
  /** From the fault (member faults) or its undo (node and control-plane faults) to the set whole and writing. */
  recoveryMs: number;
  budgetMs: number;
  /** Why the iteration failed (over budget, a guarantee broken in its window); empty when it held. */
  problems: string[];
  /** Why the fault was not injected (it would disrupt more members than the set's budget allows). */
  skipped?: string;
  /** The harness's resident memory after the iteration: flat over a long run, or something grows. */
  rssBytes: number;
}

export interface RunResult {
  seed: number;
  startedAt: string;
  iterations: IterationResult[];
  lostWrites: number;
  acknowledgedWrites: number;
  rssStartBytes: number;
  rssEndBytes: number;
}

/** The value below which `p` of the sorted values lie (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
}

export interface KindStats {
  fault: FaultKind;
  /** Injected (skipped ones apart). */
  count: number;
  failed: number;
  skipped: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export function statsByKind(iterations: IterationResult[]): KindStats[] {
  const kinds = [...new Set(iterations.map((i) => i.fault))].sort();
  return kinds.map((fault) => {
    const all = iterations.filter((i) => i.fault === fault);
    const of = all.filter((i) => i.skipped === undefined);
    const times = of.map((i) => i.recoveryMs).sort((a, b) => a - b);
    return {
      fault,
      count: of.length,
      failed: of.filter((i) => i.problems.length > 0).length,
      skipped: all.length - of.length,
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
      (k.skipped > 0 ? `  (${k.skipped} skipped: over the budget of disruptions)` : ""),
  );
  return [
    `seed ${r.seed}: ${r.iterations.length} faults, ${r.acknowledgedWrites} acknowledged writes, ${r.lostWrites} lost`,
    `harness memory (RSS): ${mib(r.rssStartBytes)} at the start, ${mib(r.rssEndBytes)} at the end`,
    "fault              runs failed  p50 s  p95 s  max s",
    ...rows,
  ].join("\n");
}

const xml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** JUnit: one test case per fault iteration, failed when it did not hold. */
export function toJUnit(r: RunResult): string {
  const skipped = r.iterations.filter((i) => i.skipped !== undefined).length;
  const failures = r.iterations.filter((i) => i.skipped === undefined && i.problems.length > 0).length;
  const cases = r.iterations.map((i) => {
    const name = `#${i.iteration} ${i.fault} ${i.target}: recovered in ${s(i.recoveryMs)} s (budget ${s(i.budgetMs)} s)`;
    const failure =
      i.skipped !== undefined
        ? `<skipped message="${xml(i.skipped)}"/>`
        : i.problems.length > 0
          ? `<failure message="${xml(i.problems[0] ?? "")}">${xml(i.problems.join("\n"))}</failure>`
          : "";
    return `    <testcase classname="chaos.${i.fault}" name="${xml(name)}" time="${s(i.recoveryMs)}">${failure}</testcase>`;
  });
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites><testsuite name="chaos seed ${r.seed}" tests="${r.iterations.length}" failures="${failures}" skipped="${skipped}" timestamp="${r.startedAt}">`,
    ...cases,
    `</testsuite></testsuites>`,
    "",
  ].join("\n");
}

/** One JSON line per iteration, stamped with the run, for a history file that grows night after night. */
export function toJsonLines(r: RunResult): string {
  return r.iterations
    .map((i) =>
      JSON.stringify({
        run: r.startedAt,
        seed: r.seed,
        ...i,
        held: i.skipped === undefined && i.problems.length === 0,
      }),
    )
    .map((l) => `${l}\n`)
    .join("");
}

/** A Prometheus textfile (node_exporter's textfile collector reads it). */
export function toPrometheus(r: RunResult): string {
  const lines = [
    "# HELP sts_chaos_recovery_seconds Recovery time per fault kind.",
    "# TYPE sts_chaos_recovery_seconds gauge",
    ...statsByKind(r.iterations).flatMap((k) =>
      (["p50", "p95", "max"] as const).map(
        (q) => `sts_chaos_recovery_seconds{fault="${k.fault}",quantile="${q}"} ${s(k[`${q}Ms`])}`,
      ),
    ),
    "# HELP sts_chaos_faults_total Faults per kind and verdict (skipped: the set's budget did not allow it).",
    "# TYPE sts_chaos_faults_total counter",
    ...statsByKind(r.iterations).flatMap((k) => [
      `sts_chaos_faults_total{fault="${k.fault}",verdict="held"} ${k.count - k.failed}`,
      `sts_chaos_faults_total{fault="${k.fault}",verdict="failed"} ${k.failed}`,
      `sts_chaos_faults_total{fault="${k.fault}",verdict="skipped"} ${k.skipped}`,
    ]),
    "# HELP sts_chaos_lost_acknowledged_writes Acknowledged writes missing after the run (must be 0).",
    "# TYPE sts_chaos_lost_acknowledged_writes gauge",
    `sts_chaos_lost_acknowledged_writes ${r.lostWrites}`,
    "# HELP sts_chaos_acknowledged_writes Writes acknowledged during the run.",
    "# TYPE sts_chaos_acknowledged_writes gauge",
    `sts_chaos_acknowledged_writes ${r.acknowledgedWrites}`,
    "# HELP sts_chaos_harness_rss_bytes The harness's resident memory at the run's start and end.",
    "# TYPE sts_chaos_harness_rss_bytes gauge",
    `sts_chaos_harness_rss_bytes{at="start"} ${r.rssStartBytes}`,
    `sts_chaos_harness_rss_bytes{at="end"} ${r.rssEndBytes}`,
  ];
  return `${lines.join("\n")}\n`;
}
