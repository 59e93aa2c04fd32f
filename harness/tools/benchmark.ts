// Benchmark: runs the cluster suite N times on the warm default kind cluster (created or reused
// once, kept afterwards) and prints per test its wall time, the cluster-bound time read from its
// timeline (pods starting or terminating), and their ratio. Not a test: numbers, not verdicts.
//   npm run benchmark [-- RUNS]
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ensureKindCluster } from "../cluster/provision.js";
import { startClusterJest } from "../cli/jest-process.js";
import { paths } from "../config/paths.js";
import { settingsEnv } from "../config/settings.js";

interface SummaryTest {
  name: string;
  verdict: string;
  durationMs: number;
  measurements: Record<string, number>;
}

const runs = Number(process.argv[2] ?? 2);
const cluster = await ensureKindCluster({ log: (l) => process.stderr.write(`[cluster] ${l}\n`) });
const env = settingsEnv({ kubeconfig: cluster.kubeconfigPath, context: cluster.context, kindCluster: cluster.name });

const perTest = new Map<string, { wall: number[]; bound: number[] }>();
const totals: number[] = [];
for (let run = 1; run <= runs; run++) {
  const started = Date.now();
  const r = await startClusterJest([], env, "pipe");
  totals.push(Date.now() - started);
  const summary = JSON.parse(readFileSync(join(paths.reportsDir, "summary.json"), "utf8")) as { tests: SummaryTest[] };
  process.stderr.write(`run ${run}/${runs}: ${((Date.now() - started) / 1000).toFixed(1)} s, exit ${r.exitCode}\n`);
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
