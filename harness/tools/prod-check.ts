// The suite on a cluster it did not build (part of `npm test`): the production-shaped cluster made
// (`cluster up --shape prod`: three control planes, a registry, Kubernetes' own timings), the images
// pushed to its registry (`image --push`), then the suite's run with a storage vendor's profile
// through its kubeconfig only, with no Docker reachable (DOCKER_HOST at a socket that does not exist)
// and node faults by privileged pods on the opt-in, which must end exit 0; then the in-cluster check
// there (Sonobuoy and the Job pulling from the registry); then a chaos round; then the cluster and
// its registry deleted.
//
//   npx tsx harness/tools/prod-check.ts   exit 0 proven; otherwise the failing step's own code
import { execa } from "execa";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fixtureImage } from "../config/image-build.js";
import { paths, repoRoot } from "../config/paths.js";
import { setting } from "../config/settings.js";
import { reportFiles } from "../report/run-result.js";

const say = (line: string) => process.stderr.write(`[prod] ${line}\n`);
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const cli = join(repoRoot, "bin", "sts-conformance.js");
const reports = join(paths.reportsDir, "prod");

/**
 * A step: the command, its output streamed (stdout kept instead when `keep`: a path or name it
 * prints); its exit code ends the check when it is not 0.
 */
async function step(what: string, cmd: string[], env: Record<string, string> = {}, keep = false): Promise<string> {
  const started = Date.now();
  say(`${what}: ${cmd.join(" ")}`);
  const r = await execa(cmd[0] ?? "", cmd.slice(1), {
    env: { ...process.env, ...env },
    reject: false,
    stdout: keep ? "pipe" : "inherit",
    stderr: "inherit",
  });
  if (r.exitCode !== 0) {
    say(`${what} failed (exit ${r.exitCode}) after ${seconds(started)}`);
    process.exit(r.exitCode ?? 1);
  }
  say(`${what}: done in ${seconds(started)}`);
  return keep ? String(r.stdout).trim() : "";
}

const kubeconfig = await step("the cluster", ["node", cli, "cluster", "up", "--shape", "prod"], {}, true);
const registry = "localhost:5001";
await step("its images", ["node", cli, "image", "--push", registry]);
const fixture = `${registry}/sts-fixture:${fixtureImage().split(":").pop() ?? ""}`;
const foreign = {
  DOCKER_HOST: "unix:///nonexistent/docker.sock", // nothing of the suite may reach a node through Docker
  STS_ALLOW_DISRUPTIVE: "1",
  // CI's time: each pod fault held 90 s (eviction at about 60 s past Kubernetes' 50 s grace; 120 s by default)
  STS_POD_FAULT_HOLD_S: "90",
  STS_FIXTURE_IMAGE: fixture,
  STS_REPORTS_DIR: reports,
};
// `run --profile`: every guarantee, and the storage matrix of the class the profile names (one pass
// makes both a user's `run` and a vendor's `storage --profile`; the storage tests are among the run's)
await step(
  "every guarantee and a storage vendor's matrix, through the kubeconfig only",
  [
    "node",
    cli,
    "run",
    "--profile",
    join(repoRoot, "fixtures", "storage-profiles", "shared.yaml"),
    "--kubeconfig",
    kubeconfig,
  ],
  foreign,
);
const summary = JSON.parse(readFileSync(join(reports, "summary.json"), "utf8")) as {
  exitCode: number;
  counts: { held: number; skipped: number };
};
say(
  `the run on the prod cluster: exit ${summary.exitCode}, ${summary.counts.held} held, ${summary.counts.skipped} skipped`,
);
// what `storage --profile` gates on and `run --profile` only reports: every claim verified or waived
const { unverified } = JSON.parse(readFileSync(join(reports, reportFiles.storage), "utf8")) as { unverified: string[] };
if (unverified.length > 0) {
  say(`the profile's claims not verified (storage --profile would exit 3): ${unverified.join(", ")}`);
  process.exit(3);
}
await step("in the cluster, pulling from its registry", [
  "npx",
  "tsx",
  join(repoRoot, "harness", "tools", "in-cluster-check.ts"),
  "--prod",
]);
// the chaos round a nightly job makes, off kind: one kubelet stopped by a privileged pod while the
// workload writes, and its emptyDir control (`run` leaves the chaos test to `chaos` and `storage`;
// partition by the pod is the same pod's other mode). Last: a node whose kubelet was just
// restarted did not give the in-cluster check's pods a sandbox in time (seen once in CI:
// PodSandboxNotReady, the Sonobuoy plugin "unknown").
await step(
  "a chaos round, through the kubeconfig only",
  ["node", cli, "chaos", "--faults", "kubelet-stop", "--duration", "1m", "--kubeconfig", kubeconfig],
  foreign,
);
if (!setting("keepCluster")) await step("deleting it", ["node", cli, "cluster", "down", "--shape", "prod"]);
