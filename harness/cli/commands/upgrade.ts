// The upgrade gate's commands: `upgrade prepare` before the user's upgrade, `watch` during it,
// `check` after it, `clean`; `rehearse` the whole gate around an upgrade of a kind cluster of its own.
import { preflight } from "../../cluster/preflight.js";
import { deleteKindCluster, ensureKindCluster, kindTargetSettings } from "../../cluster/provision.js";
import { KindCli } from "../../cluster/kind.js";
import { pinnedKubernetesVersion, pinnedUpgradeFrom } from "../../config/image-build.js";
import { exportSettings, setting, settingsEnv } from "../../config/settings.js";
import { ExitCode, HarnessError } from "../../errors/harness-error.js";
import { Kube } from "../../kube/client.js";
import { upgradeStep } from "../../cluster/kind-upgrade.js";
import { clean, prepare, recordingSettled, removeWorkload, startWatching, watch } from "../../upgrade/phases.js";
import { endedByCheck } from "../../upgrade/coverage.js";
import { announceCheck, loadBaseline } from "../../upgrade/store.js";
import { log, type Command, type RunOptions } from "../command.js";
import { printList, runEnv, runJest } from "../jest-run.js";
import { selectionOf, upgradeCheckTests } from "../list.js";
import { dropCreated, otherCluster, resolveTarget, type Resolved } from "../target.js";
import { clusterUpgrade } from "./cluster.js";
import { withHtml } from "./report.js";

const judged: number[] = [ExitCode.Ok, ExitCode.GuaranteeBroken, ExitCode.Inconclusive];

/**
 * `upgrade check`: the baseline must be this cluster's (one line, exit 2, otherwise); a watch still
 * running is told to end and its recording awaited; then the upgrade's judgements and the
 * guarantees' tests on the upgraded cluster, as a run; then, if it judged, the workload is removed.
 */
async function upgradeCheck(o: RunOptions, resolved?: Resolved): Promise<number> {
  const tests = upgradeCheckTests(o.focus, o.skip);
  if (o.list) {
    printList(tests, o.json);
    return ExitCode.Ok;
  }
  const r = resolved ?? (await resolveTarget(o, "existing"));
  const kube = Kube.fromTarget(r.target);
  const baseline = await loadBaseline(kube);
  log(
    `checking the upgrade of ${baseline.namespace} (baseline taken on ${baseline.serverVersion}, ${baseline.preparedAt})`,
  );
  await announceCheck(kube);
  await recordingSettled(kube, log);
  const code = await runJest(r.target, { ...runEnv(o, "upgrade"), ...r.env }, selectionOf(tests));
  // only a check that judged ends the gate: one that could not run keeps its baseline to run again
  if (judged.includes(code)) await removeWorkload(kube, log);
  else log(`the gate's namespace ${baseline.namespace} is kept: run 'upgrade check' again, or 'upgrade clean'`);
  return code;
}

/**
 * `upgrade rehearse`: the whole gate on a kind cluster of its own (`<STS_CLUSTER_NAME>-upgrade`,
 * beside the suite's): made new at --from, prepared, upgraded in place to --to while watched, then
 * checked; deleted at the end unless kept. What a pipeline runs around the real upgrade of its
 * real cluster, on kind.
 */
async function rehearse(o: RunOptions): Promise<number> {
  if (otherCluster(o))
    throw new HarnessError(
      "upgrade rehearse makes its own kind cluster: it cannot be combined with --kubeconfig or STS_KUBECONFIG, nor run inside a pod",
    );
  const to = o.to || pinnedKubernetesVersion();
  const from = o.from || pinnedUpgradeFrom();
  upgradeStep(from, to);
  if (o.list) return upgradeCheck(o);
  const name = `${setting("clusterName")}-upgrade`;
  if ((await new KindCli().clusters()).includes(name)) {
    log(`deleting kind cluster "${name}" first: a rehearsal starts from a new cluster at ${from}`);
    await deleteKindCluster(name);
  }
  log(`rehearsal: kind cluster "${name}" at ${from}, upgraded in place to ${to} while watched, then checked`);
  const cluster = await ensureKindCluster({ name, kubernetesVersion: from, log });
  const r: Resolved = {
    target: { kubeconfigPath: cluster.kubeconfigPath, context: cluster.context },
    env: settingsEnv(kindTargetSettings(cluster)),
  };
  try {
    const kube = Kube.fromTarget(r.target);
    const report = await preflight(r.target, { storageClass: o.storageClass, skipProbes: o.skipPreflight });
    await prepare(kube, { storageClass: report.storageClass, log });
    const watching = await startWatching(kube, log);
    try {
      await clusterUpgrade({ ...o, to }, name, (what) => watching.mark(what));
    } catch (e) {
      await watching.finish(`the rehearsal's upgrade failing (${e instanceof Error ? e.message : String(e)})`);
      throw e;
    }
    // as around a user's upgrade: the check announces itself, and the watch ends on it
    await announceCheck(kube);
    await watching.finish(endedByCheck);
    return await upgradeCheck(o, r);
  } finally {
    await dropCreated(o, name);
  }
}

/** The flags of the commands that reach the cluster being upgraded, and the gate's namespace there. */
const target = ["kubeconfig", "context", "namespace"] as const;

/** The gate's namespace from --namespace, for this process and the test runner it starts. */
function inGate(o: RunOptions): void {
  if (o.namespace) exportSettings({ upgradeNamespace: o.namespace });
}

export const upgradeCommands: Command[] = [
  {
    words: "upgrade prepare",
    summary: `before a cluster upgrade: the sets that must survive it, writing throughout, and a baseline (in the gate's namespace, sts-upgrade unless --namespace, and in $STS_UPGRADE_DIR)`,
    flags: [...target, "storage-class", "skip-preflight", "node-image", "kubernetes-version"],
    settings: ["kubeconfig", "context", "upgradeNamespace", "storageClass", "upgradeDir"],
    examples: [
      "sts-conformance upgrade prepare --kubeconfig ~/.kube/config",
      "STS_UPGRADE_DIR=/tmp/gate sts-conformance upgrade prepare --storage-class fast-ssd",
    ],
    run: async (o) => {
      inGate(o);
      const r = await resolveTarget(o, "ensure-any-version");
      const report = await preflight(r.target, { storageClass: o.storageClass, skipProbes: o.skipPreflight });
      const file = await prepare(Kube.fromTarget(r.target), { storageClass: report.storageClass, log });
      process.stdout.write(`${file}\n`);
      return ExitCode.Ok;
    },
  },
  {
    words: "upgrade watch",
    summary: "during the upgrade: record the sets and the nodes (until Ctrl-C or 'upgrade check')",
    flags: [...target],
    settings: ["kubeconfig", "context", "upgradeNamespace", "upgradeDir"],
    examples: [
      "sts-conformance upgrade watch --kubeconfig ~/.kube/config &",
      "STS_UPGRADE_DIR=/tmp/gate sts-conformance upgrade watch",
    ],
    run: async (o) => {
      inGate(o);
      await watch(Kube.fromTarget((await resolveTarget(o, "existing")).target), log);
      return ExitCode.Ok;
    },
  },
  {
    words: "upgrade check",
    summary: `after it: judge the baseline and the recording, then run the guarantees' tests on the upgraded cluster (--focus/--skip narrow those), then remove the namespace`,
    flags: [...target, "storage-class", "skip-preflight", "focus", "skip", "list", "json", "html"],
    settings: ["kubeconfig", "context", "upgradeNamespace", "upgradeDir", "upgradeUnavailableS", "focus", "skip"],
    examples: [
      "sts-conformance upgrade check --kubeconfig ~/.kube/config --html",
      "sts-conformance upgrade check --focus G13,G26 --list",
    ],
    run: (o) => {
      inGate(o);
      return withHtml(o, () => upgradeCheck(o));
    },
  },
  {
    words: "upgrade clean",
    summary: "remove the upgrade's namespace and files without judging them",
    flags: [...target],
    settings: ["kubeconfig", "context", "upgradeNamespace", "upgradeDir"],
    examples: [
      "sts-conformance upgrade clean --kubeconfig ~/.kube/config",
      "STS_UPGRADE_DIR=/tmp/gate sts-conformance upgrade clean",
    ],
    run: async (o) => {
      inGate(o);
      await clean(Kube.fromTarget((await resolveTarget(o, "existing")).target), log);
      return ExitCode.Ok;
    },
  },
  {
    words: "upgrade rehearse",
    summary: "on kind: a cluster at --from, prepare, watch while 'cluster upgrade --to' runs, check",
    flags: ["from", "to", "storage-class", "skip-preflight", "keep-cluster", "focus", "skip", "list", "json", "html"],
    settings: ["clusterName", "upgradeDir", "upgradeUnavailableS", "keepCluster", "cacheDir", "goBinariesFrom"],
    examples: [
      "sts-conformance upgrade rehearse --from v1.36.3 --to v1.37.2",
      "sts-conformance upgrade rehearse --focus G13,G26,G4,G21 --html",
    ],
    run: (o) => withHtml(o, () => rehearse(o)),
  },
];
