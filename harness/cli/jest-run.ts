// A run of the suite's tests: the selection (--focus, --skip, --rerun-failed, --list) made before
// anything is touched, then Jest on the cluster project with the target in its environment, stopped
// and cleaned up on Ctrl-C; the exit code from the run's summary.
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { paths } from "../config/paths.js";
import { settingsEnv } from "../config/settings.js";
import { Timeouts } from "../config/timeouts.js";
import { ExitCode } from "../errors/harness-error.js";
import { Kube, type Target } from "../kube/client.js";
import { runId } from "../kube/labels.js";
import { cleanupRun } from "../run/cleanup.js";
import { reportFiles } from "../report/run-result.js";
import { interruptedCaseName, writeStoppedJunit } from "../report/stopped.js";
import { log, type RunOptions } from "./command.js";
import { runExitCode } from "./exit-code.js";
import { startClusterJest, stopJest } from "./jest-process.js";
import {
  failedLastTime,
  jestArgs,
  jestSelection,
  listTests,
  selectionOf,
  type JestSelection,
  type ListedTest,
  type Profile,
} from "./list.js";
import { dropCreated, resolveTarget } from "./target.js";

/**
 * Runs Jest on the cluster project with the chosen target in the environment. On Ctrl-C or
 * SIGTERM it stops Jest, then deletes this run's namespaces and undoes its cordons.
 */
export async function runJest(
  target: Target,
  env: Record<string, string>,
  selection: JestSelection | undefined,
): Promise<number> {
  const started = Date.now();
  for (const f of Object.values(reportFiles)) rmSync(join(paths.reportsDir, f), { force: true });
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
      const line = `stopped by ${interrupted} before the run ended: no verdict (exit ${ExitCode.Interrupted})`;
      writeStoppedJunit(paths.reportsDir, line, started, interruptedCaseName);
      return ExitCode.Interrupted;
    }
    return agreed(runExitCode(verdictExitCode(started), r.exitCode), started);
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
  const file = join(paths.reportsDir, reportFiles.summary);
  if (!existsSync(file) || statSync(file).mtimeMs < since) return undefined; // Jest stopped before its reporters
  return (JSON.parse(readFileSync(file, "utf8")) as { exitCode?: number }).exitCode;
}

/**
 * The CLI's exit code, written into this run's summary.json where it outranks the verdicts' (the
 * environment failed under the run), so the two never disagree.
 */
function agreed(code: number, since: number): number {
  const file = join(paths.reportsDir, reportFiles.summary);
  const written = verdictExitCode(since);
  if (written === undefined || written === code) return code;
  const summary = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  const why = `the environment failed under the run (exit ${code}, see the CLI's output); its verdicts alone gave ${written}`;
  writeFileSync(file, JSON.stringify({ ...summary, exitCode: code, exitCodeReason: why }, null, 2));
  return code;
}

/** What a run's test runner is told besides its target: the options and the profile. */
export const runEnv = (o: RunOptions, profile: Profile): Record<string, string> => ({
  ...(o.storageClass ? settingsEnv({ storageClass: o.storageClass }) : {}),
  ...(o.skipPreflight ? settingsEnv({ skipPreflight: "1" }) : {}),
  ...settingsEnv({ profile }),
  ...(narrowing(o) ? settingsEnv({ narrowedBy: narrowing(o) }) : {}),
});

/** What narrows a command's tests, as its flags say it ("" when it runs its whole profile). */
const narrowing = (o: RunOptions): string =>
  [
    ...(o.focus ? [`--focus ${o.focus}`] : []),
    ...(o.skip ? [`--skip ${o.skip}`] : []),
    ...(o.rerunFailed ? ["--rerun-failed"] : []),
  ].join(" ");

/** `--list`: the tests, a line each with their file and a count (or JSON). */
export const printList = (tests: ListedTest[], json: boolean): void => {
  if (json) return void process.stdout.write(`${JSON.stringify({ tests }, null, 2)}\n`);
  for (const t of tests) process.stdout.write(`${t.fullName}  (${t.file})\n`);
  process.stdout.write(`${tests.length} tests\n`);
};

/** A run of the suite's tests of `profile` (`extraEnv`: settings a command hands to them, as the chaos plan). */
export async function runTests(
  o: RunOptions,
  profile: Profile,
  extraEnv: Record<string, string> = {},
): Promise<number> {
  if (o.list) {
    printList(listTests(o.focus, o.skip, profile), o.json);
    return ExitCode.Ok;
  }
  // before anything is touched: a focus that matches nothing is bad input
  let selection = jestSelection(o.focus, o.skip, profile);
  if (o.rerunFailed) {
    const again = failedLastTime(join(paths.reportsDir, "summary.json"), profile);
    if (again.tests.length === 0) {
      log("--rerun-failed: nothing of this command was BROKEN or inconclusive in the last run");
      return ExitCode.Ok;
    }
    log(`--rerun-failed: ${again.tests.length} test(s) BROKEN or inconclusive in run ${again.runId}`);
    selection = selectionOf(again.tests);
    extraEnv = {
      ...extraEnv,
      ...settingsEnv({ rerunOf: JSON.stringify({ runId: again.runId, verdicts: again.verdicts }) }),
    };
  }
  const r = await resolveTarget(o, "ensure");
  try {
    return await runJest(r.target, { ...runEnv(o, profile), ...extraEnv, ...r.env }, selection);
  } finally {
    await dropCreated(o, r.created);
  }
}
