// What a chaos run's results say, once it is over: each iteration's problems as violations, G23
// decided and exercised, recoveries timed to the slow members, every kind asked made; and the
// results written to reports/ (JUnit, the Prometheus textfile). suites/chaos.test.ts asserts them.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { FaultKind } from "../../harness/chaos/catalogue.js";
import { g23Windows, toPrometheus, type RunResult } from "../../harness/chaos/results.js";
import { paths } from "../../harness/config/paths.js";
import { chaosJUnit } from "../../harness/report/chaos-junit.js";
import { reportFiles } from "../../harness/report/run-result.js";
import { runProperties } from "../../harness/report/run-properties.js";
import type { CheckResult } from "../../harness/timeline/replay.js";
import { GuaranteeBroken, Inconclusive } from "../../harness/verdict/verdict.js";

/** Each iteration's problems as violations: over budget, or G23 broken in its window. */
export const iterationProblems = (r: RunResult): CheckResult => ({
  violations: r.iterations.flatMap((i) =>
    i.problems.map((p) => ({
      guarantee: p.guarantee,
      pod: i.target,
      expected: `recovery within ${i.budgetMs / 1000} s, and at most one pod per identity`,
      seen: `#${i.iteration} ${i.fault}: ${p.text}`,
    })),
  ),
  gaps: [],
});

/**
 * G23 over the run, beyond its violations (iterationProblems): decided in every node-fault window,
 * and exercised in at least one (a member evicted while its node was cut off); otherwise the run
 * cannot say G23 held. Returns what was exercised, in words.
 */
export function g23Exercised(r: RunResult): string {
  const undecided = r.iterations.filter((i) => i.undecided !== undefined);
  if (undecided.length > 0)
    throw new Inconclusive(undecided.map((i) => `#${i.iteration} ${i.fault} ${i.target}: ${i.undecided}`).join("; "));
  const { windows, exercised, evictions } = g23Windows(r.iterations);
  if (exercised === 0)
    throw new Inconclusive(`G23 not exercised: no member was evicted in any of ${windows} node-fault window(s)`);
  return `${windows} node-fault window(s), ${exercised} with a member evicted in it, ${evictions} eviction(s) in all`;
}

/**
 * A budget control's second half: each recovery was timed to the slow members' return, not merely
 * longer than a budget every recovery exceeds ; a recovery timed short means the control missed.
 */
export function recoveriesTimedAtLeast(r: RunResult, ms: number): void {
  const short = r.iterations.filter((i) => i.skipped === undefined && !(i.recoveryMs >= ms));
  if (short.length === 0) return;
  const seen = short.map((i) => `#${i.iteration} ${i.fault} ${(i.recoveryMs / 1000).toFixed(1)} s`);
  throw new GuaranteeBroken(`recovery timed short of the members' ${ms / 1000} s start: ${seen.join("; ")}`);
}

/**
 * Every kind asked was made at least once: a kind skipped each time (it would have taken more
 * members than the budget allows) was not tried, and the run cannot say the set survives it .
 */
export function everyKindMade(r: RunResult, kinds: FaultKind[]): void {
  const made = new Set(
    r.iterations.filter((i) => i.skipped === undefined && i.error === undefined).map((i) => i.fault),
  );
  const never = kinds.filter((k) => !made.has(k));
  if (never.length === 0) return;
  const why = never.map((k) => `${k} (${r.iterations.find((i) => i.fault === k)?.skipped ?? "not reached"})`);
  throw new Inconclusive(`never made, so not tried: ${why.join("; ")}`);
}

/** The run's results in reports/ (JUnit, Prometheus); the history file has each fault already. */
export function writeResults(r: RunResult): void {
  mkdirSync(paths.reportsDir, { recursive: true });
  writeFileSync(join(paths.reportsDir, reportFiles.chaosJunit), chaosJUnit(r, runProperties()));
  // whole or not at all: node_exporter's textfile collector may read it at any moment
  const prom = join(paths.reportsDir, reportFiles.chaosProm);
  writeFileSync(`${prom}.tmp`, toPrometheus(r));
  renameSync(`${prom}.tmp`, prom);
}
