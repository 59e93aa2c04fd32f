// Benchmark: `sts-conformance run` (what `npm run suite` runs) N times on the default kind cluster,
// kept between runs, or a new one for each with --fresh-cluster (the figure a user gets), and per
// test: its wall time, the cluster-bound time read from its timeline (pods starting or
// terminating), their ratio, and the cluster's CPU seconds (its node containers' cgroups sampled,
// shared among the tests running at each moment: cpu-attribution.ts), with the CPU of the suite's
// own processes beside it; then the critical path of the last run: when each spec file ran, what
// it waited for its turn, and which ended last. Not a test: numbers, not verdicts.
//   npm run benchmark [-- RUNS] [--fresh-cluster]
import { execa } from "execa";
import { createWriteStream, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deleteKindCluster } from "../cluster/provision.js";
import { paths, repoRoot } from "../config/paths.js";
import { setting } from "../config/settings.js";
import { attributeCpu, type TestSpan } from "./cpu-attribution.js";
import { childrenCpuS, hostCpu, sampleNodeCpu } from "./node-cpu.js";

interface SummaryTest {
  file: string;
  name: string;
  verdict: string;
  durationMs: number;
  startedAt?: number;
  measurements: Record<string, number>;
}

interface SpecFile {
  file: string;
  startMs: number;
  endMs: number;
}

const args = process.argv.slice(2);
const fresh = args.includes("--fresh-cluster");
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 2);
const cluster = setting("clusterName");

const perTest = new Map<string, { wall: number[]; bound: number[]; cpu: number[] }>();
const perFile = new Map<string, number[]>();
const rows: string[] = [];
let last: { tests: SummaryTest[]; files: SpecFile[] } = { tests: [], files: [] };
const s = (ms: number) => `${(ms / 1000).toFixed(1)}s`.padStart(7);
const cpuS = (ns: number) => `${(ns / 1e9).toFixed(0)}`.padStart(6);

for (let run = 1; run <= runs; run++) {
  if (fresh) await deleteKindCluster(cluster);
  const log = join(tmpdir(), `sts-benchmark-${process.pid}-${run}.log`);
  const sampler = sampleNodeCpu(cluster);
  const host = hostCpu();
  const suiteBefore = childrenCpuS();
  const started = Date.now();
  const cli = execa(process.execPath, [join(repoRoot, "bin", "sts-conformance.js"), "run"], {
    reject: false,
    all: true,
    buffer: false,
  });
  cli.all?.pipe(createWriteStream(log));
  const r = await cli;
  const wall = Date.now() - started;
  const hostAfter = hostCpu();
  const suiteCpu = childrenCpuS() - suiteBefore;
  const { intervals, readable } = await sampler.stop();
  const summary = JSON.parse(readFileSync(join(paths.reportsDir, "summary.json"), "utf8")) as typeof last & {
    counts: Record<string, number>;
  };
  last = summary;
  const testsSpan = Math.max(0, ...summary.files.map((f) => f.endMs));
  const spans: TestSpan[] = summary.tests
    .filter((t) => t.startedAt !== undefined)
    .map((t) => ({
      name: t.name,
      start: t.startedAt ?? 0,
      end: (t.startedAt ?? 0) + t.durationMs,
      waitedMs: t.measurements["waited for its turn"] ?? 0,
    }));
  const cpu = attributeCpu(intervals, spans);
  for (const f of summary.files) perFile.set(f.file, [...(perFile.get(f.file) ?? []), f.endMs - f.startMs]);
  for (const t of summary.tests) {
    const entry = perTest.get(t.name) ?? { wall: [], bound: [], cpu: [] };
    entry.wall.push(t.durationMs);
    if (t.measurements["cluster-bound"] !== undefined) entry.bound.push(t.measurements["cluster-bound"]);
    if (readable) entry.cpu.push(cpu.perTest.get(t.name) ?? 0);
    perTest.set(t.name, entry);
  }
  const busy = (hostAfter.busy - host.busy) / Math.max(1, hostAfter.total - host.total);
  const row =
    `run ${run}/${runs}: ${s(wall).trim()} end to end, tests ${s(testsSpan).trim()}, exit ${r.exitCode}, ` +
    `${JSON.stringify(summary.counts)}; host CPU ${(busy * 100).toFixed(0)}% busy; the suite's processes ${suiteCpu.toFixed(0)} CPU s` +
    (readable
      ? `; cluster CPU ${cpuS(cpu.total).trim()} s (${cpuS(cpu.outsideTests).trim()} s while no test ran)`
      : "");
  rows.push(row);
  process.stderr.write(`${row} (log: ${log})\n`);
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
process.stdout.write(
  `\n${"wall".padStart(7)} ${"bound".padStart(7)}  ratio ${"CPU s".padStart(6)}  test (mean of ${runs} runs)\n`,
);
let wallSum = 0;
let boundSum = 0;
for (const [name, { wall, bound, cpu }] of perTest) {
  const w = mean(wall);
  const b = mean(bound);
  wallSum += w;
  boundSum += b;
  process.stdout.write(
    `${s(w)} ${s(b)}  ${b ? (w / b).toFixed(2).padStart(5) : "    -"} ${cpu.length ? cpuS(mean(cpu)) : "     -"}  ${name}\n`,
  );
}
process.stdout.write(`${s(wallSum)} ${s(boundSum)}  ${(wallSum / boundSum).toFixed(2).padStart(5)}  sum over tests\n`);

const byCpu = [...perTest].filter(([, t]) => t.cpu.length).sort((a, b) => mean(b[1].cpu) - mean(a[1].cpu));
if (byCpu.length) {
  process.stdout.write(`\nthe cluster's CPU seconds, the 10 biggest (mean of ${runs} runs):\n`);
  for (const [name, t] of byCpu.slice(0, 10)) process.stdout.write(`${cpuS(mean(t.cpu))}  ${name}\n`);
}
process.stdout.write(`\n${rows.join("\n")}\n`);

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
