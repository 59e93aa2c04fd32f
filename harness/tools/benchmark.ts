// Benchmark: runs what `run` runs (the guarantees, not the chaos run) N times on the warm default
// kind cluster (created or reused once, kept afterwards) and prints per test its wall time, the
// cluster-bound time read from its timeline (pods starting or terminating), and their ratio; then
// the critical path of the last run: when each spec file ran, what it waited for its turn, and
// which ended last. Not a test: numbers, not verdicts.
//   npm run benchmark [-- RUNS]
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureKindCluster, kindTargetSettings } from "../cluster/provision.js";
import { startClusterJest } from "../cli/jest-process.js";
import { jestArgs, jestSelection } from "../cli/list.js";
import { paths, repoRoot } from "../config/paths.js";
import { settingsEnv } from "../config/settings.js";

interface SummaryTest {
  file: string;
  name: string;
  verdict: string;
  durationMs: number;
  measurements: Record<string, number>;
}

interface SpecFile {
  file: string;
  startMs: number;
  endMs: number;
}

const runs = Number(process.argv[2] ?? 2);
const selection = jestArgs(jestSelection(undefined, undefined, "guarantees"));
const cluster = await ensureKindCluster({ log: (l) => process.stderr.write(`[cluster] ${l}\n`) });
const env = settingsEnv(kindTargetSettings(cluster));

const perTest = new Map<string, { wall: number[]; bound: number[] }>();
const perFile = new Map<string, number[]>();
const totals: number[] = [];
let last: { tests: SummaryTest[]; files: SpecFile[] } = { tests: [], files: [] };
for (let run = 1; run <= runs; run++) {
  const started = Date.now();
  const r = await startClusterJest(selection, env, "pipe");
  totals.push(Date.now() - started);
  const summary = JSON.parse(readFileSync(join(paths.reportsDir, "summary.json"), "utf8")) as typeof last & {
    counts: Record<string, number>;
  };
  last = summary;
  for (const f of summary.files) perFile.set(f.file, [...(perFile.get(f.file) ?? []), f.endMs - f.startMs]);
  process.stderr.write(
    `run ${run}/${runs}: ${((Date.now() - started) / 1000).toFixed(1)} s, exit ${r.exitCode}, ${JSON.stringify(summary.counts)}\n`,
  );
  for (const t of summary.tests) {
    const entry = perTest.get(t.name) ?? { wall: [], bound: [] };
    entry.wall.push(t.durationMs);
    if (t.measurements["cluster-bound"] !== undefined) entry.bound.push(t.measurements["cluster-bound"]);
    perTest.set(t.name, entry);
  }
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const s = (ms: number) => `${(ms / 1000).toFixed(1)}s`.padStart(7);
process.stdout.write(`\n${"wall".padStart(7)} ${"bound".padStart(7)}  ratio  test (mean of ${runs} runs)\n`);
let wallSum = 0;
let boundSum = 0;
for (const [name, { wall, bound }] of perTest) {
  const w = mean(wall);
  const b = mean(bound);
  wallSum += w;
  boundSum += b;
  process.stdout.write(`${s(w)} ${s(b)}  ${b ? (w / b).toFixed(2).padStart(5) : "    -"}  ${name}\n`);
}
process.stdout.write(`${s(wallSum)} ${s(boundSum)}  ${(wallSum / boundSum).toFixed(2).padStart(5)}  sum over tests\n`);
process.stdout.write(
  `suite wall time per run: ${totals.map((t) => s(t).trim()).join(", ")} (tests run in parallel workers)\n`,
);

// The last run's spec files by when they ended: the last one is the run's critical path (it
// started when a worker freed up, then ran its tests one after another).
process.stdout.write(
  `\ncritical path of the last run (spec files by end; start → end, seconds from the run's start):\n`,
);
for (const f of [...last.files].sort((a, b) => a.endMs - b.endMs)) {
  const waited = last.tests
    .filter((t) => t.file === f.file)
    .reduce((sum, t) => sum + (t.measurements["waited for its turn"] ?? 0), 0);
  process.stdout.write(
    `${s(f.startMs)} → ${s(f.endMs)}  ${s(f.endMs - f.startMs)} ran${waited ? `, ${s(waited).trim()} of it waiting for turns` : ""}  ${f.file}\n`,
  );
}

// What the sequencer starts longest first by (suites/support/sequencer.js): commit it with the numbers.
const durations = Object.fromEntries(
  [...perFile].map(([file, ms]) => [file, Math.round(mean(ms) / 1000)] as const).sort((a, b) => b[1] - a[1]),
);
writeFileSync(join(repoRoot, "suites", "support", "file-durations.json"), `${JSON.stringify(durations, null, 2)}\n`);
process.stdout.write("spec file durations written to suites/support/file-durations.json (the sequencer's order)\n");
