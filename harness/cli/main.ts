import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseChaosFlags } from "../chaos/options.js";
import { chaosSet, chaosTargets, formatSchedule, makeSchedule } from "../chaos/schedule.js";
import { kindWorkerNames } from "../cluster/kind-config.js";
import { KindCli } from "../cluster/kind.js";
import { preflight } from "../cluster/preflight.js";
import { deleteKindCluster, ensureKindCluster, existingKindCluster, kindTargetSettings } from "../cluster/provision.js";
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
  if ((o.kubeconfig ?? setting("kubeconfig")) !== undefined)
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
  if ((o.kubeconfig ?? setting("kubeconfig")) !== undefined)
    throw new HarnessError(
      "upgrade rehearse makes its own kind cluster: it cannot be combined with --kubeconfig or STS_KUBECONFIG",
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
  const kind = (o.kubeconfig ?? setting("kubeconfig")) === undefined;
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

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  if (e instanceof HarnessError) {
    process.stderr.write(`sts-conformance: ${e.message}\n`);
    process.exitCode = e.exitCode;
  } else {
    process.stderr.write(`sts-conformance: ${suiteFailedLine(e)}\n`);
    process.exitCode = ExitCode.SuiteFailed;
  }
}
