// The CLI's entry: settings and flags checked before anything is touched, the command found in the
// command table (commands/index.ts) and run; its exit code, or one line and a distinct code for
// bad input and for the suite's own failures; inside a pod, the results handed to whoever collects them.
import { readSettings, setting } from "../config/settings.js";
import { paths } from "../config/paths.js";
import { ExitCode, HarnessError, suiteFailedLine } from "../errors/harness-error.js";
import { Kube } from "../kube/client.js";
import { writeStoppedJunit } from "../report/stopped.js";
import { inPod, podNamespace } from "../in-cluster/pod.js";
import { handToSonobuoy, sonobuoyResultsDir } from "../in-cluster/sonobuoy.js";
import { storeResults } from "../in-cluster/results-configmap.js";
import { log } from "./command.js";
import { commandOf } from "./commands/index.js";
import { commandHelp, groupHelp, parseOptions, usage } from "./options.js";

async function main(argv: string[]): Promise<number> {
  readSettings(process.env); // junk in any STS_* variable: one line, exit 2, before anything is touched
  const o = parseOptions(argv);
  const helped = o.helpOf === undefined ? undefined : commandOf(o.helpOf);
  if (o.command === "help") {
    const text = helped ? commandHelp(helped) : o.helpOf ? groupHelp(o.helpOf) : usage();
    process.stdout.write(`${text}\n`);
    return ExitCode.Ok;
  }
  const command = commandOf(o.command);
  if (!command) throw new HarnessError(`unknown command "${o.command}"; see --help`);
  return command.run(o);
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
