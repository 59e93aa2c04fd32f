import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseChaosFlags } from "../chaos/options.js";
import { chaosSet, chaosTargets, formatSchedule, makeSchedule } from "../chaos/schedule.js";
import { kindWorkerNames } from "../cluster/kind-config.js";
import { KindCli } from "../cluster/kind.js";
import { preflight } from "../cluster/preflight.js";
import {
  deleteKindCluster,
  ensureKindCluster,
  existingKindCluster,
  kindTargetSettings,
  prepareHost,
} from "../cluster/provision.js";
import { upgradeKindCluster, upgradeStep, type UpgradeTimes } from "../upgrade/kind-upgrade.js";
import { pinnedKubernetesVersion, pinnedUpgradeFrom } from "../config/images.js";
import { paths } from "../config/paths.js";
import { Timeouts } from "../config/timeouts.js";
import { readSettings, setting, settingsEnv, settingsEnvName } from "../config/settings.js";
import { faultKinds, isDisruptive } from "../chaos/faults.js";
import { ExitCode, HarnessError, suiteFailedLine } from "../errors/harness-error.js";
import { runExitCode } from "./exit-code.js";
import { Kube, type Target } from "../kube/client.js";
import { cleanupRun } from "../run/cleanup.js";
import { runId } from "../kube/labels.js";
import { disruptiveAllowed } from "../run/conditions.js";
import { startClusterJest, stopJest } from "./jest-process.js";
import { clean, prepare, recordingSettled, removeWorkload, startWatching, watch } from "../upgrade/commands.js";
import { announceCheck, loadBaseline } from "../upgrade/store.js";
import { loadProfile } from "../storage/profile.js";
import {
  failedLastTime,
  jestArgs,
  jestSelection,
  listTests,
  selectionOf,
  upgradeCheckTests,
  type JestSelection,
  type ListedTest,
  type Profile,
} from "./list.js";
import { parseOptions, usage, type RunOptions } from "./options.js";
import { writeHtmlReport } from "../report/html-report.js";
import { toolInfo } from "../report/tool-info.js";
import { writeStoppedJunit } from "../report/stopped.js";
import { inPod, podNamespace } from "../in-cluster/pod.js";
import { handToSonobuoy, sonobuoyResultsDir } from "../in-cluster/sonobuoy.js";
import { storeResults } from "../in-cluster/results-configmap.js";
import { buildInClusterImages, loadIntoKind } from "../in-cluster/images.js";

const log = (line: string) => process.stderr.write(`[sts] ${line}\n`);

/**
 * Runs Jest on the cluster project with the chosen target in the environment. On Ctrl-C or
 * SIGTERM it stops Jest, then deletes this run's namespaces and undoes its cordons.
 */
async function runJest(
  target: Target,
  env: Record<string, string>,
  selection: JestSelection | undefined,
): Promise<number> {
  const started = Date.now();
  if (selection?.leftOut)
    log(`running ${selection.tests} tests in ${selection.files.length} spec files (${selection.leftOut} not selected)`);
  const total = String(selection?.tests ?? listTests().length);
  const child = startClusterJest(
    jestArgs(selection),
    { ...env, ...settingsEnv({ runId, progressTotal: total }) },
    "inherit",
  );
  let interrupted: NodeJS.Signals | undefined;
  // Sent to this process alone (as a CI supervisor does) or to its group (Ctrl-C): either way
  // Jest and its workers stop at once; a repeated signal during cleanup is ignored.
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = signal;
    log(`${signal}: stopping the tests …`);
    stopJest(child, signal);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const r = await child;
    if (interrupted) {
      log(`cleaning up what this run created (at most ${Timeouts.interruptCleanupMs / 1000} s) …`);
      const kube = Kube.fromTarget({ kubeconfigPath: target.kubeconfigPath, context: target.context });
      const done = await withDeadline(cleanupRun(kube, runId, log), Timeouts.interruptCleanupMs);
      if (!done) log("cleanup did not finish in time: the next run sweeps what is left");
      return ExitCode.Interrupted;
    }
    return runExitCode(verdictExitCode(started), r.exitCode);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/** Whether `work` finished within `ms` (it goes on in the background otherwise). */
async function withDeadline(work: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    // eslint-disable-next-line no-restricted-syntax -- the bound of the interrupt cleanup, not a wait
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The run's exit code from its verdicts (held 0, BROKEN 1, inconclusive 3), if this run wrote a summary. */
function verdictExitCode(since: number): number | undefined {
  const file = join(paths.reportsDir, "summary.json");
  if (!existsSync(file) || statSync(file).mtimeMs < since) return undefined; // Jest stopped before its reporters
  return (JSON.parse(readFileSync(file, "utf8")) as { exitCode?: number }).exitCode;
}

/** Where a command points: the kubeconfig given, or the kind cluster; what its test runner is told of it. */
interface Resolved {
  target: Target;
  env: Record<string, string>;
  /** The kind cluster this command created (deleted at its end unless kept). */
  created?: string;
}

/**
 * The target of a command: the kubeconfig given (flag or setting), or the kind cluster, made or
 * reused ("ensure"), or taken as it is ("existing": the upgrade mode's commands after prepare work
 * on a cluster upgraded in place, which must never be recreated).
 */
async function resolveTarget(o: RunOptions, kind: "ensure" | "existing"): Promise<Resolved> {
  // a flag over its setting: `STS_KUBECONFIG=… npm test` reaches the CLI as the environment
  const kubeconfig = o.kubeconfig ?? setting("kubeconfig");
  const context = o.context ?? (setting("context") || undefined);
  if (kubeconfig !== undefined || context) {
    // "" = the default kubeconfig ($KUBECONFIG, ~/.kube/config)
    const env = settingsEnv({ kubeconfig: kubeconfig ?? "", context: context ?? "" });
    return { target: { kubeconfigPath: kubeconfig || undefined, context }, env };
  }
  if (inPod()) {
    // client-node's default kubeconfig is the pod's own (in-cluster) when there is no file
    log("inside a pod: testing the cluster it runs in, as the pod's ServiceAccount");
    return { target: {}, env: settingsEnv({ kubeconfig: "" }) };
  }
  const cluster =
    kind === "ensure"
      ? await ensureKindCluster({ nodeImage: o.nodeImage, kubernetesVersion: o.kubernetesVersion, log })
      : await existingKindCluster();
  return {
    target: { kubeconfigPath: cluster.kubeconfigPath, context: cluster.context },
    env: settingsEnv(kindTargetSettings(cluster)),
    ...(cluster.reused ? {} : { created: cluster.name }),
  };
}

/** Whether a command targets another cluster than the suite's kind one: a kubeconfig given, or run inside a pod. */
const otherCluster = (o: RunOptions): boolean => (o.kubeconfig ?? setting("kubeconfig")) !== undefined || inPod();

/** What a run's test runner is told besides its target: the options and the profile. */
const runEnv = (o: RunOptions, profile: Profile): Record<string, string> => ({
  ...(o.storageClass ? settingsEnv({ storageClass: o.storageClass }) : {}),
  ...(o.skipPreflight ? settingsEnv({ skipPreflight: "1" }) : {}),
  ...settingsEnv({ profile: profile === "storage" ? "storage" : "" }),
});

const printList = (tests: ListedTest[], json: boolean) => {
  if (json) return void process.stdout.write(`${JSON.stringify({ tests }, null, 2)}\n`);
  for (const t of tests) process.stdout.write(`${t.fullName}  (${t.file})\n`);
  process.stdout.write(`${tests.length} tests\n`);
};

/** The HTML report of the last run: its summary page's path on stdout, its time on stderr. */
async function report(): Promise<number> {
  const r = await writeHtmlReport(paths.reportsDir);
  log(`HTML report of ${r.pages} tests written in ${(r.ms / 1000).toFixed(1)} s (Allure's: ${r.allure})`);
  process.stdout.write(`${r.index}\n`);
  return ExitCode.Ok;
}

/** A run's exit code, after its HTML report when asked for (--html); a report that fails is said, the verdict stands. */
async function withHtml(o: RunOptions, work: () => Promise<number>): Promise<number> {
  const code = await work();
  if (!o.html || o.list || o.dryRun || code === ExitCode.Interrupted) return code;
  await report().catch((e: unknown) => log(`no HTML report: ${e instanceof Error ? e.message : String(e)}`));
  return code;
}

/**
 * `image`: the suite's image and Sonobuoy's, built or found cached; loaded into the suite's kind
 * cluster when it exists (its name on stdout).
 */
async function image(): Promise<number> {
  await prepareHost(log); // Docker, as a cluster's first run prepares it
  const images = await buildInClusterImages(log);
  const cluster = setting("clusterName");
  if ((await new KindCli().clusters()).includes(cluster)) {
    const started = Date.now();
    const nodes = await loadIntoKind(cluster, images);
    log(
      `loaded into ${nodes.join(", ")} of kind cluster "${cluster}" in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } else log(`no kind cluster "${cluster}" to load them into: push ${images.suite} to your registry`);
  log(`Sonobuoy's image ${images.sonobuoy}, its CLI ${images.sonobuoyCli}`);
  process.stdout.write(`${images.suite}\n`);
  return ExitCode.Ok;
}

/** Deletes the kind cluster a command created, unless asked to keep it. */
async function dropCreated(o: RunOptions, created: string | undefined): Promise<void> {
  if (!created || o.keepCluster || setting("keepCluster")) return;
  log(`deleting kind cluster "${created}" (created by this run; --keep-cluster keeps it)`);
  await deleteKindCluster(created);
}

/** A run of the suite's tests (`extraEnv`: settings a command hands to them, as the chaos plan). */
async function run(o: RunOptions, profile: Profile, extraEnv: Record<string, string> = {}): Promise<number> {
  if (o.list) {
    printList(listTests(o.focus, o.skip, profile), o.json);
    return ExitCode.Ok;
  }
  // before anything is touched: a focus that matches nothing is bad input
  let selection = jestSelection(o.focus, o.skip, profile);
  if (o.rerunFailed) {
    const again = failedLastTime(join(paths.reportsDir, "summary.json"), profile);
    if (again.length === 0) {
      log("--rerun-failed: nothing of this command was BROKEN or inconclusive in the last run");
      return ExitCode.Ok;
    }
    log(`--rerun-failed: ${again.length} test(s) BROKEN or inconclusive in the last run`);
    selection = selectionOf(again);
  }
  const r = await resolveTarget(o, "ensure");
  try {
    return await runJest(r.target, { ...runEnv(o, profile), ...extraEnv, ...r.env }, selection);
  } finally {
    await dropCreated(o, r.created);
  }
}

/**
 * `storage` and `run` with a storage profile (flag or setting): the profile parsed first, strictly;
 * its class is the run's, and a different --storage-class is bad input. The tests and the reporter
 * learn the profile from the settings: its claims against what the run verified.
 */
async function withProfile(o: RunOptions, profileOfRun: "guarantees" | "storage"): Promise<number> {
  const file = o.profile ?? (setting("storageProfile") || undefined);
  if (!file) return run(o, profileOfRun);
  const profile = loadProfile(file);
  const asked = o.storageClass ?? (setting("storageClass") || undefined);
  if (asked && asked !== profile.storageClass)
    throw new HarnessError(
      `--storage-class ${asked} contradicts the profile ${file}, which is of StorageClass ${profile.storageClass}: give one of them`,
    );
  log(`storage profile ${file}: StorageClass ${profile.storageClass}`);
  return run(
    { ...o, storageClass: profile.storageClass },
    profileOfRun,
    settingsEnv({
      storageProfile: resolve(file),
      claimSize: profile.claimSize,
      // the chaos round proves writes-survive-node-faults: the node and control-plane faults (a
      // member's own faults are the workload test's); a user's choice stands
      ...(profileOfRun === "storage" && process.env[settingsEnvName("chaosFaults")] === undefined
        ? { chaosFaults: faultKinds.filter(isDisruptive).join(",") }
        : {}),
    }),
  );
}

/**
 * `upgrade check`: the baseline must be this cluster's (one line, exit 2, otherwise); a watch still
 * running is told to end and its recording awaited; then the upgrade's judgements and the
 * guarantees' tests on the upgraded cluster, as a run; then the workload is removed.
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
  if (code !== ExitCode.Interrupted) await removeWorkload(kube, log);
  return code;
}

/** `cluster upgrade`: the suite's kind cluster only (another cluster is upgraded its own way, with prepare/watch/check around it). */
async function clusterUpgrade(o: RunOptions, name?: string, mark?: (what: string) => void): Promise<UpgradeTimes> {
  if (otherCluster(o))
    throw new HarnessError(
      "cluster upgrade upgrades the suite's kind cluster; upgrade another cluster its own way, with 'upgrade prepare', 'watch' and 'check' around it",
    );
  const cluster = await existingKindCluster(name);
  const times = await upgradeKindCluster({
    cluster: cluster.name,
    target: cluster,
    to: o.to || pinnedKubernetesVersion(),
    log,
    ...(mark ? { mark } : {}),
  });
  writeUpgradeTimes(times);
  return times;
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
    } finally {
      watching.finish();
    }
    return await upgradeCheck(o, r);
  } finally {
    await dropCreated(o, name);
  }
}

/** The upgrade's phase times, beside its baseline and recording (for the pipeline's report). */
function writeUpgradeTimes(times: UpgradeTimes): void {
  mkdirSync(paths.upgradeDir, { recursive: true });
  writeFileSync(join(paths.upgradeDir, "upgrade-times.json"), `${JSON.stringify(times, null, 2)}\n`);
}

/**
 * The chaos command: the input checked (one line, exit 2), the schedule made from the seed; with
 * --dry-run printed with its targets, otherwise run as the suite's chaos test with the flags as
 * its settings (same target, cleanup and exit codes as a run).
 */
async function chaos(o: RunOptions): Promise<number> {
  const kind = !otherCluster(o);
  const plan = parseChaosFlags(o.chaos, { disruptiveAllowed: disruptiveAllowed(kind) });
  if (!o.dryRun) {
    log(`chaos: seed ${plan.seed}, ${plan.durationMs / 60_000} min, faults ${plan.faults.join(", ")}`);
    return run(
      o,
      "chaos",
      settingsEnv({
        chaosDuration: `${plan.durationMs / 1000}s`,
        chaosSeed: String(plan.seed),
        chaosFaults: plan.faults.join(","),
        chaosBudget: o.chaos.budget ?? "",
      }),
    );
  }
  const workers = kind
    ? kindWorkerNames(readFileSync(paths.kindConfig, "utf8"), setting("clusterName"))
    : ["worker #1", "worker #2"];
  const schedule = makeSchedule(
    plan.seed,
    plan.durationMs,
    plan.faults,
    plan.budgets,
    chaosTargets(workers),
    chaosSet.name,
  );
  if (o.json) {
    const targets = { set: chaosSet.name, replicas: chaosSet.replicas, nodes: workers };
    const { seed, faults, budgets } = plan;
    const json = { seed, durationS: plan.durationMs / 1000, faults, budgets, targets, schedule };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return ExitCode.Ok;
  }
  process.stdout.write(
    `seed ${plan.seed}, ${plan.durationMs / 60_000} min, ${schedule.length} faults, one at a time; ` +
      `targets: members ${chaosSet.name}-0..${chaosSet.name}-${chaosSet.replicas - 1}, nodes ${workers.join(", ")}\n` +
      `(each start at the latest: every fault before it given its whole recovery budget; a cluster that ` +
      `recovers faster goes on down the same sequence until the time is up)\n${formatSchedule(schedule)}\n`,
  );
  return ExitCode.Ok;
}

async function main(argv: string[]): Promise<number> {
  readSettings(process.env); // junk in any STS_* variable: one line, exit 2, before anything is touched
  const o = parseOptions(argv);
  switch (o.command) {
    case "help":
      process.stdout.write(`${usage}\n`);
      return ExitCode.Ok;
    case "cluster-up": {
      const cluster = await ensureKindCluster({ nodeImage: o.nodeImage, kubernetesVersion: o.kubernetesVersion, log });
      process.stdout.write(`${cluster.kubeconfigPath}\n`);
      return ExitCode.Ok;
    }
    case "cluster-down":
      await deleteKindCluster();
      return ExitCode.Ok;
    case "version": {
      const t = toolInfo();
      process.stdout.write(`${t.name} ${t.version} (${t.commit})\n`);
      return ExitCode.Ok;
    }
    case "report":
      return report();
    case "image":
      return image();
    case "run":
      return withHtml(o, () => withProfile(o, "guarantees"));
    case "storage":
      return withHtml(o, () => withProfile(o, "storage"));
    case "chaos":
      return withHtml(o, () => chaos(o));
    case "cluster-upgrade":
      await clusterUpgrade(o);
      return ExitCode.Ok;
    case "upgrade-prepare": {
      const r = await resolveTarget(o, "ensure");
      const report = await preflight(r.target, { storageClass: o.storageClass, skipProbes: o.skipPreflight });
      const file = await prepare(Kube.fromTarget(r.target), { storageClass: report.storageClass, log });
      process.stdout.write(`${file}\n`);
      return ExitCode.Ok;
    }
    case "upgrade-watch":
      await watch(Kube.fromTarget((await resolveTarget(o, "existing")).target), log);
      return ExitCode.Ok;
    case "upgrade-check":
      return withHtml(o, () => upgradeCheck(o));
    case "upgrade-clean":
      await clean(Kube.fromTarget((await resolveTarget(o, "existing")).target), log);
      return ExitCode.Ok;
    case "upgrade-rehearse":
      return withHtml(o, () => rehearse(o));
  }
}

/**
 * Inside a pod, what the command leaves for whoever collects it: why it stopped, as JUnit (unless
 * the run wrote its own); to Sonobuoy, the reports and the `done` file; to the Job's ConfigMap.
 */
async function handOver(stopped: string | undefined, since: number): Promise<void> {
  const dir = paths.reportsDir;
  if (stopped) writeStoppedJunit(dir, stopped, since);
  const sonobuoy = sonobuoyResultsDir();
  if (sonobuoy) log(`results handed to Sonobuoy: ${await handToSonobuoy(dir, sonobuoy)}`);
  const configMap = setting("resultsConfigMap");
  if (configMap) log(await storeResults(Kube.fromTarget({}), podNamespace(), configMap, dir));
}

const started = Date.now();
let stopped: string | undefined;
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  stopped = e instanceof HarnessError ? e.message : suiteFailedLine(e);
  process.stderr.write(`sts-conformance: ${stopped}\n`);
  process.exitCode = e instanceof HarnessError ? e.exitCode : ExitCode.SuiteFailed;
}
if (inPod())
  await handOver(stopped, started).catch((e: unknown) => {
    process.stderr.write(`sts-conformance: the results could not be handed over: ${suiteFailedLine(e)}\n`);
    process.exitCode = ExitCode.SuiteFailed;
  });
