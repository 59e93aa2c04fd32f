// The upgrade gate around an operator's own runbook on three control planes, through the kubeconfig
// only. Not part of `npm test` (about 20 minutes on 2 cores): a command we run and report.
//   1. the prod cluster made at UPGRADE_FROM_VERSION, the suite's images pushed to its registry;
//   2. two gates prepared: `sts-upgrade`, watched throughout, and `gate-killed`, whose watch is
//      killed (SIGKILL to the recording process) once the runbook reaches the nodes;
//   3. the new version staged on every node, docs/examples/kubeadm-upgrade.sh run (CARELESS=1 with
//      --careless), both gates checked.
// Expected: the gate exit 0 (exit 1 with --careless: what the runbook broke, named), the killed
// gate exit 3 (what it judges over the upgrade inconclusive, saying what it missed). Prints each
// runbook step with its time, the gate's watch RSS over the run, and what each check measured;
// reports/ha/<gate>/ has each check's reports. The cluster is deleted (STS_KEEP_CLUSTER=1 keeps it).
//   npx tsx harness/tools/ha-upgrade-check.ts [--careless]
import { execa, type ResultPromise } from "execa";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fixtureImage, pinnedKubernetesVersion, pinnedUpgradeFrom } from "../config/image-build.js";
import { paths, repoRoot } from "../config/paths.js";
import { deepestProcess, rssMb } from "./process-tree.js";
import { setting } from "../config/settings.js";

const careless = process.argv.includes("--careless");
const say = (line: string) => process.stderr.write(`[ha] ${line}\n`);
const cli = join(repoRoot, "bin", "sts-conformance.js");
const reports = join(paths.reportsDir, "ha");
const from = pinnedUpgradeFrom();
const to = pinnedKubernetesVersion();
const gate = "sts-upgrade";
const killed = "gate-killed";

/** Runs the CLI; its exit code (output streamed, or stdout returned when `keep`). */
async function sts(args: string[], env: Record<string, string> = {}, keep = false) {
  const started = Date.now();
  const r = await execa("node", [cli, ...args], {
    env: { ...process.env, ...env },
    reject: false,
    stdout: keep ? "pipe" : "inherit",
    stderr: "inherit",
  });
  const where = env.STS_UPGRADE_NAMESPACE ? ` (${env.STS_UPGRADE_NAMESPACE})` : "";
  say(`${args.slice(0, 2).join(" ")}${where}: exit ${r.exitCode} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return { code: r.exitCode ?? 1, stdout: String(r.stdout ?? "").trim() };
}
const must = async (what: string, r: Promise<{ code: number; stdout: string }>) => {
  const { code, stdout } = await r;
  if (code !== 0) {
    say(`${what} failed (exit ${code})`);
    process.exit(code);
  }
  return stdout;
};

const kubeconfig = await must(
  "the cluster",
  sts(["cluster", "up", "--shape", "prod", "--kubernetes-version", from], {}, true),
);
await must("the images", sts(["image", "--push", "localhost:5001"]));
// nothing of the gate may reach a node through Docker: the cluster is the user's
const foreign = (namespace: string) => ({
  DOCKER_HOST: "unix:///nonexistent/docker.sock",
  STS_FIXTURE_IMAGE: `localhost:5001/sts-fixture:${fixtureImage().split(":").pop() ?? ""}`,
  STS_UPGRADE_NAMESPACE: namespace,
  STS_REPORTS_DIR: join(reports, namespace),
});
const gates = [gate, killed];
rmSync(reports, { recursive: true, force: true }); // an earlier run's summaries must not be read as this one's
for (const g of gates) await must(`prepare ${g}`, sts(["upgrade", "prepare", "--kubeconfig", kubeconfig], foreign(g)));
const watches = new Map<string, ResultPromise>(
  gates.map((g) => [
    g,
    execa("node", [cli, "upgrade", "watch", "--kubeconfig", kubeconfig], {
      env: { ...process.env, ...foreign(g) },
      reject: false,
      stdout: "ignore",
      stderr: "ignore",
    }),
  ]),
);
const gateWatch = await deepestProcess(watches.get(gate)?.pid ?? 0);
const rss: number[] = [];
const sampler = setInterval(() => {
  const mb = rssMb(gateWatch);
  if (mb !== undefined) rss.push(mb);
}, 10_000);

await must("staging", sts(["cluster", "stage", "--shape", "prod", "--to", to]));
const started = Date.now();
const runbook = execa("bash", [join(repoRoot, "docs", "examples", "kubeadm-upgrade.sh"), to], {
  env: { ...process.env, KUBECONFIG: kubeconfig, LOG_DIR: join(reports, "runbook"), CARELESS: careless ? "1" : "0" },
  reject: false,
  all: true,
});
let victim = watches.get(killed)?.pid;
for await (const line of runbook.iterable({ from: "all" })) {
  say(String(line));
  if (/\] 3\. /.test(String(line)) && victim) {
    const pid = await deepestProcess(victim);
    process.kill(pid, "SIGKILL");
    say(`${killed}'s watch killed (SIGKILL to PID ${pid}) as the runbook reached the nodes`);
    victim = undefined;
  }
}
const rb = await runbook;
say(`the runbook: exit ${rb.exitCode} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
if (rb.exitCode !== 0) process.exit(1);

interface Summary {
  exitCode: number;
  counts: Record<string, number>;
  tests: Array<{ guarantees: string[]; verdict: string; measurements: Record<string, number> }>;
}
const results = new Map<string, Summary>();
for (const g of gates) {
  const { code } = await sts(["upgrade", "check", "--kubeconfig", kubeconfig, "--skip", "."], foreign(g));
  const summary = join(reports, g, "summary.json");
  results.set(
    g,
    existsSync(summary)
      ? (JSON.parse(readFileSync(summary, "utf8")) as Summary)
      : { exitCode: code, counts: {}, tests: [] }, // the check did not run its tests
  );
}
clearInterval(sampler);
await Promise.all(watches.values());

say(
  `${gate}'s watch RSS: ${rss.length} samples, ${Math.min(...rss).toFixed(0)}-${Math.max(...rss).toFixed(0)} MB, first ${rss[0]?.toFixed(0)} MB, last ${rss.at(-1)?.toFixed(0)} MB`,
);
for (const [g, s] of results) {
  say(`${g}: exit ${s.exitCode}, ${JSON.stringify(s.counts)}`);
  for (const t of s.tests)
    if (Object.keys(t.measurements).length > 0)
      say(
        `  ${t.guarantees.join(" ")} ${t.verdict}: ${Object.entries(t.measurements)
          .map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`)
          .join(", ")}`,
      );
}
const expected = new Map([
  [gate, careless ? 1 : 0],
  [killed, 3],
]);
const wrong = [...results].filter(([g, s]) => s.exitCode !== expected.get(g));
if (!setting("keepCluster")) await sts(["cluster", "down", "--shape", "prod"]);
for (const [g, s] of wrong) say(`${g}: exit ${s.exitCode}, expected ${expected.get(g)}`);
process.exit(wrong.length === 0 ? 0 : 1);
