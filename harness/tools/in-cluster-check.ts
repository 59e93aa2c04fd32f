// The suite run inside the cluster, proven on the kind cluster (the images loaded into its nodes) or,
// with --prod, on the production-shaped cluster through its kubeconfig (the images pushed to its
// registry and pulled by its nodes; part of `npm test`, after the runs that keep it): Sonobuoy (the version built here) runs the plugin as
// shipped in deploy/sonobuoy, `sonobuoy status` shows its progress, `sonobuoy results` lists the
// tests with their verdicts, and `sonobuoy delete` leaves nothing; at the same time a negative
// control, the plugin as a ServiceAccount lacking one right, must end with the preflight's one-line
// reason in its results, not hang; then the plain Job of deploy/job, its results read with the
// command in docs/in-cluster.md.
//
//   npx tsx harness/tools/in-cluster-check.ts [--prod]   exit 0 proven, 1 something was not as
//                                               promised, 2 no cluster, or the images could not be built
import { execa, type Options } from "execa";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { accessReviews, suiteRights, without } from "../cluster/rights.js";
import { ensureProdCluster } from "../cluster/prod-cluster.js";
import { existingKindCluster } from "../cluster/provision.js";
import { fixtureForRegistries, pushImages } from "../cluster/registry.js";
import { fixtureImage, pinnedKubernetesVersion } from "../config/image-build.js";
import { paths, repoRoot } from "../config/paths.js";
import { HarnessError } from "../errors/harness-error.js";
import { buildInClusterImages, loadIntoKind, type InClusterImages } from "../in-cluster/suite-images.js";
import { asYaml, rbacObjects, runner } from "../in-cluster/manifests.js";
import { resultsKey } from "../in-cluster/results-configmap.js";
import { Labels } from "../kube/labels.js";
import { stoppedCaseName } from "../report/stopped.js";
import { listTests } from "../cli/list.js";

const say = (line: string) => process.stderr.write(`[in-cluster] ${line}\n`);
function fail(code: 1 | 2, why: string): never {
  process.stderr.write(`in-cluster check: ${why}\n`);
  process.exit(code);
}
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** What the plugin and the Job run: few and quick tests, held checks and flagged controls (a control alone decides nothing: exit 5). */
const pluginFocus = "G1";
const jobFocus = "G1 G13: pods are created";
/** The right the negative control's ServiceAccount lacks. */
const missingRight = "create pods/eviction";
const plugin = join(repoRoot, "deploy", "sonobuoy", "sts-conformance.yaml");

/** Where it runs: its kubeconfig, and the images its pods run (the suite's, Sonobuoy's, the fixtures'). */
interface Where {
  kubeconfigPath: string;
  images: InClusterImages;
  fixture: string;
}

/** The kind cluster, its nodes given the images; or the prod cluster, its registry given them to pull. */
async function where(prod: boolean): Promise<Where> {
  const built = await buildInClusterImages(say);
  const started = Date.now();
  if (!prod) {
    const cluster = await existingKindCluster();
    const nodes = await loadIntoKind(cluster.name, built);
    say(`images loaded into ${nodes.join(", ")} in ${seconds(started)}`);
    return { kubeconfigPath: cluster.kubeconfigPath, images: built, fixture: fixtureImage() };
  }
  const cluster = await ensureProdCluster(say);
  const [suite, sonobuoy, fixture] = (
    await pushImages(cluster.registry, [built.suite, built.sonobuoy, await fixtureForRegistries()], say)
  ).map((p) => p.pushed);
  say(`images pushed to ${cluster.registry} in ${seconds(started)}: the nodes pull them`);
  return {
    kubeconfigPath: cluster.kubeconfigPath,
    images: { suite: suite ?? "", sonobuoy: sonobuoy ?? "", sonobuoyCli: built.sonobuoyCli },
    fixture: fixture ?? "",
  };
}

let target: Where;
try {
  target = await where(process.argv.includes("--prod"));
} catch (e) {
  fail(2, e instanceof HarnessError ? e.message : String(e));
}
const images = target.images;
const env = { KUBECONFIG: target.kubeconfigPath };
const kubectlBin = join(paths.cacheDir, "artifacts", `kubernetes-${pinnedKubernetesVersion()}`, "kubectl");
const run = async (bin: string, args: string[], o: Options = {}) => {
  const r = await execa(bin, args, { env, reject: false, all: true, timeout: 600_000, ...o });
  if (r.exitCode !== 0)
    fail(
      1,
      `${bin.split("/").pop()} ${args.join(" ")} failed: ${String(r.all).trim().split("\n").slice(-3).join(" | ")}`,
    );
  return String(r.stdout);
};
const kubectl = (args: string[], o: Options = {}) => run(kubectlBin, args, o);
const sonobuoy = (args: string[]) => run(images.sonobuoyCli, args);
/** "namespace/<name>" while it exists, else "". */
const namespaceLeft = async (name: string) =>
  (await kubectl(["get", "namespace", name, "--ignore-not-found", "-o", "name"])).trim();
const work = mkdtempSync(join(tmpdir(), "sts-in-cluster-"));

/**
 * `sonobuoy retrieve`, again on a failed copy (up to 3 times): it streams the results tarball out of
 * the aggregator pod through an exec, which a loaded machine has cut or padded ("non-zero data read
 * after tar EOF"); the results stay in the pod, so a second copy is the same tarball.
 */
async function retrieve(namespace: string, dir: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const r = await execa(images.sonobuoyCli, ["retrieve", "-n", namespace, dir], { env, reject: false, all: true });
    if (r.exitCode === 0) return String(r.stdout);
    const why = String(r.all).trim().split("\n").pop() ?? "";
    if (attempt === 3) fail(1, `sonobuoy retrieve -n ${namespace} failed 3 times: ${why}`);
    say(`sonobuoy retrieve -n ${namespace} failed (${why}): again`);
  }
}

interface Progress {
  completed?: number;
  total?: number;
  msg?: string;
}

/**
 * One Sonobuoy run of the plugin in `namespace` as the ServiceAccount its RBAC gives: RBAC applied,
 * `sonobuoy run … --wait` (its progress polled meanwhile, as `sonobuoy status` shows it), then
 * retrieved; the tarball's path, the progress seen and the wall time.
 */
async function sonobuoyRun(namespace: string, rbac: string, config: string, focus: string) {
  if (await namespaceLeft(namespace)) {
    say(`${namespace} is left from an earlier check: sonobuoy delete first`);
    await sonobuoy(["delete", "-n", namespace, "--wait"]);
  }
  await kubectl(["apply", "-f", "-"], { input: rbac });
  const started = Date.now();
  const progress: Progress[] = [];
  let running = true;
  const poll = (async () => {
    while (running) {
      const r = await execa(images.sonobuoyCli, ["status", "-n", namespace, "--json"], { env, reject: false });
      // before the aggregator runs, `status --json` prints a sentence, not JSON
      const out = String(r.stdout).trim();
      const p = out.startsWith("{")
        ? (JSON.parse(out) as { plugins?: { progress?: Progress }[] }).plugins?.[0]?.progress
        : undefined;
      if (p) progress.push(p);
      // eslint-disable-next-line no-restricted-syntax -- the status poll's interval, as `sonobuoy status --wait` polls
      await new Promise((r) => setTimeout(r, 2000));
    }
  })();
  try {
    await sonobuoy([
      "run",
      "--config",
      config,
      "-n",
      namespace,
      "--skip-preflight=existingnamespace",
      "--plugin",
      plugin,
      "--sonobuoy-image",
      images.sonobuoy,
      "--plugin-image",
      `sts-conformance:${images.suite}`,
      "--plugin-env",
      `sts-conformance.STS_FOCUS=${focus}`,
      // the manifests' fixture image is a public busybox: here, the one the nodes hold or pull
      "--plugin-env",
      `sts-conformance.STS_FIXTURE_IMAGE=${target.fixture}`,
      "--wait",
      "--wait-output",
      "silent",
    ]);
  } finally {
    running = false;
    await poll;
  }
  const wall = seconds(started);
  const dir = join(work, namespace);
  mkdirSync(dir, { recursive: true });
  const tarball = join(dir, (await retrieve(namespace, dir)).trim().split("/").pop() ?? "");
  return { tarball, progress, wall };
}

interface DetailedResult {
  name: string;
  status: string;
  details?: { failure?: string; "system-out"?: string };
}
const detailed = async (tarball: string): Promise<DetailedResult[]> =>
  (await sonobuoy(["results", tarball, "--mode", "detailed"]))
    .split("\n")
    .filter((l) => l.trim().startsWith("{"))
    .map((l) => JSON.parse(l) as Partial<DetailedResult>)
    .filter((r): r is DetailedResult => r.name !== undefined && r.status !== undefined); // not the run's details

/** `sonobuoy delete --wait`, then nothing of the run may be left: its namespace, roles, the suite's namespaces. */
async function deleteAndCheck(namespace: string): Promise<void> {
  const started = Date.now();
  await sonobuoy(["delete", "-n", namespace, "--wait"]);
  const left = [
    await namespaceLeft(namespace),
    ...(await kubectl(["get", "clusterroles,clusterrolebindings", "-l", `namespace=${namespace}`, "-o", "name"])).split(
      "\n",
    ),
    ...(await kubectl(["get", "namespaces", "-l", Labels.run, "-o", "name"])).split("\n"),
  ].filter(Boolean);
  if (left.length) fail(1, `after sonobuoy delete -n ${namespace}: ${left.join(", ")} left`);
  say(
    `sonobuoy delete -n ${namespace}: nothing left (its namespace, its roles and ours, the suite's namespaces) in ${seconds(started)}`,
  );
}

/** Sonobuoy's config for a run in `namespace`: deploy/sonobuoy/config.json's aggregator Service, in that namespace. */
function configFor(namespace: string): string {
  const shipped = join(repoRoot, "deploy", "sonobuoy", "config.json");
  if (namespace === runner.namespace) return shipped;
  const file = join(work, `config-${namespace}.json`);
  writeFileSync(file, readFileSync(shipped, "utf8").replaceAll(`.${runner.namespace}.svc`, `.${namespace}.svc`));
  return file;
}

const expected = listTests(pluginFocus, undefined, "guarantees").map((t) => t.fullName);
const control = "sts-nocontrol";
say(
  `Sonobuoy: the plugin as shipped (--focus ${pluginFocus}: ${expected.length} tests) in ${runner.namespace}, ` +
    `and its negative control (a ServiceAccount without "${missingRight}") in ${control}, side by side`,
);
const [shipped, denied] = await Promise.all([
  sonobuoyRun(
    runner.namespace,
    readFileSync(join(repoRoot, "deploy", "rbac", "rbac.yaml"), "utf8"),
    configFor(runner.namespace),
    pluginFocus,
  ),
  sonobuoyRun(
    control,
    asYaml(rbacObjects(without(suiteRights, missingRight), control)),
    configFor(control),
    pluginFocus,
  ),
]);

// the plugin as shipped: every test of the focus, with its verdict, and progress as it went
say(`sonobuoy run … --wait: ${shipped.wall}; sonobuoy results ${shipped.tarball.split("/").pop()}:`);
process.stderr.write(`${(await sonobuoy(["results", shipped.tarball])).trimEnd().replace(/^/gm, "  | ")}\n`);
const results = await detailed(shipped.tarball);
for (const name of expected) {
  const r = results.find((x) => x.name.endsWith(name) || name.endsWith(x.name) || x.name.includes(name));
  if (!r) fail(1, `sonobuoy results do not list "${name}"`);
  if (r.status !== "passed") fail(1, `sonobuoy results give "${name}" ${r.status}, expected passed`);
}
if (results.length !== expected.length)
  fail(1, `sonobuoy results list ${results.length} tests, expected ${expected.length}`);
const last = shipped.progress.at(-1);
if (!last || last.completed !== expected.length || last.total !== expected.length)
  fail(1, `sonobuoy status never showed ${expected.length}/${expected.length} done (last: ${JSON.stringify(last)})`);
say(
  `sonobuoy status showed progress ${shipped.progress
    .map((p) => `${p.completed}/${p.total}`)
    .filter((v, i, a) => a.indexOf(v) === i)
    .join(" → ")}`,
);
const files = (await execa("tar", ["-tzf", shipped.tarball])).stdout.split("\n");
for (const f of ["junit.xml", "summary.json", "storage-expectations.json", "html/index.html"])
  if (!files.some((x) => x.endsWith(`plugins/sts-conformance/results/global/${f}`)))
    fail(1, `the tarball holds no ${f}`);
say(
  `the tarball holds the plugin's junit.xml, summary.json, storage-expectations.json, the HTML report and ${files.filter((f) => f.includes("allure-results/")).length} Allure files`,
);

// the negative control: the one-line reason in the results, the run over, not hung
const refused = (await detailed(denied.tarball)).find((r) => r.name.includes(stoppedCaseName));
if (refused?.status !== "failed" || !refused.details?.failure?.includes(`may not: ${missingRight}`))
  fail(1, `the control's results do not say the ServiceAccount may not ${missingRight}: ${JSON.stringify(refused)}`);
say(`negative control: over in ${denied.wall}, failed "${stoppedCaseName}": ${refused.details.failure.trim()}`);
await Promise.all([deleteAndCheck(runner.namespace), deleteAndCheck(control)]);

// the plain Job: kubectl apply -k (an overlay that narrows its focus), then the command in docs/in-cluster.md
const overlay = join(work, "job");
mkdirSync(overlay, { recursive: true });
writeFileSync(
  join(overlay, "kustomization.yaml"),
  asYaml([
    {
      apiVersion: "kustomize.config.k8s.io/v1beta1",
      kind: "Kustomization",
      resources: [relative(overlay, join(repoRoot, "deploy", "job"))],
      images: [{ name: "sts.local/sts-conformance", newName: images.suite.replace(/:[^:/]*$/, "") }],
      patches: [
        {
          target: { kind: "Job", name: "sts-conformance" },
          patch: asYaml([
            {
              apiVersion: "batch/v1",
              kind: "Job",
              metadata: { name: "sts-conformance" },
              spec: {
                template: {
                  spec: {
                    containers: [
                      {
                        name: "sts-conformance",
                        env: [
                          { name: "STS_FOCUS", value: jobFocus },
                          { name: "STS_FIXTURE_IMAGE", value: target.fixture },
                        ],
                      },
                    ],
                  },
                },
              },
            },
          ]),
        },
      ],
    },
  ]),
);
const jobStarted = Date.now();
await kubectl(["apply", "-k", overlay]);
// done when it succeeded or failed (a failed Job never becomes Complete: no waiting for it in vain)
let outcome = "";
while ((!outcome || outcome === "/") && Date.now() - jobStarted < 300_000) {
  outcome = await kubectl([
    "-n",
    runner.namespace,
    "get",
    "job/sts-conformance",
    "-o",
    "jsonpath={.status.succeeded}/{.status.failed}",
  ]);
  // eslint-disable-next-line no-restricted-syntax -- the Job's status poll interval
  if (!outcome || outcome === "/") await new Promise((r) => setTimeout(r, 2000));
}
if (outcome !== "1/") fail(1, `the Job did not succeed within 300 s (succeeded/failed: "${outcome}")`);
say(`Job (--focus "${jobFocus}"): succeeded in ${seconds(jobStarted)}`);
const readme = readFileSync(join(repoRoot, "docs/in-cluster.md"), "utf8");
const collect = /^\s*(kubectl -n sts-conformance get configmap sts-conformance-results .*)$/m.exec(readme)?.[1];
if (!collect?.includes(resultsKey.replaceAll(".", "\\.")))
  fail(1, "docs/in-cluster.md gives no command that reads the Job's results");
const out = join(work, "job-results");
mkdirSync(out, { recursive: true });
await execa("bash", ["-c", collect], {
  cwd: out,
  env: { ...process.env, ...env, PATH: `${join(kubectlBin, "..")}:${process.env.PATH}` },
});
const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as {
  exitCode: number;
  tests: { name: string; verdict: string }[];
};
if (summary.exitCode !== 0 || summary.tests.length !== 1 || summary.tests[0]?.verdict !== "held")
  fail(1, `the Job's summary.json: exit ${summary.exitCode}, ${JSON.stringify(summary.tests.map((t) => t.verdict))}`);
say(
  `docs/in-cluster.md's command read the Job's results: summary.json (exit 0, ${summary.tests[0]?.verdict}), junit.xml`,
);
await kubectl(["delete", "-k", overlay, "--wait"]);
const jobLeft = await namespaceLeft(runner.namespace);
if (jobLeft) fail(1, `kubectl delete -k left ${jobLeft}`);
rmSync(work, { recursive: true, force: true });
say(
  `proven: ${accessReviews(suiteRights).length} rights in the generated ClusterRole; Sonobuoy ${shipped.wall}, its control ${denied.wall}, the Job ${seconds(jobStarted)}`,
);
