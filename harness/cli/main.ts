import { execa } from "execa";
import { deleteKindCluster, ensureKindCluster } from "../cluster/provision.js";
import { repoRoot } from "../config/paths.js";
import { ExitCode, HarnessError } from "../errors/harness-error.js";
import { Kube } from "../kube/client.js";
import { cleanupRun } from "../kube/cleanup.js";
import { runId } from "../kube/labels.js";
import { listTests } from "./list.js";
import { parseOptions, testNamePattern, usage, type RunOptions } from "./options.js";

const log = (line: string) => process.stderr.write(`[sts] ${line}\n`);

/**
 * Runs Jest on the cluster project with the chosen target in the environment. On Ctrl-C or
 * SIGTERM it stops Jest, then deletes this run's namespaces and undoes its cordons.
 */
async function runJest(o: RunOptions, env: Record<string, string>): Promise<number> {
  const args = ["jest", "--selectProjects", "cluster"];
  const pattern = testNamePattern(o.focus, o.skip);
  if (pattern) args.push("--testNamePattern", pattern);
  const child = execa("npx", args, {
    cwd: repoRoot,
    stdio: "inherit",
    reject: false,
    env: { ...env, STS_RUN_ID: runId, NODE_OPTIONS: "--experimental-vm-modules" },
  });
  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = signal;
    child.kill(signal);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const r = await child;
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  if (interrupted) {
    log(`${interrupted}: cleaning up what this run created …`);
    const kube = Kube.fromTarget({ kubeconfigPath: env.STS_KUBECONFIG || undefined, context: env.STS_CONTEXT });
    await cleanupRun(kube, runId, log);
    return 130;
  }
  return r.exitCode ?? ExitCode.Environment;
}

async function run(o: RunOptions): Promise<number> {
  const env: Record<string, string> = {};
  if (o.storageClass) env.STS_STORAGE_CLASS = o.storageClass;
  if (o.list) {
    const tests = listTests(o.focus, o.skip);
    for (const t of tests) process.stdout.write(`${t.fullName}  (${t.file})\n`);
    process.stdout.write(`${tests.length} tests\n`);
    return ExitCode.Ok;
  }

  let created: string | undefined;
  if (o.kubeconfig || o.context) {
    env.STS_KUBECONFIG = o.kubeconfig ?? ""; // "" = the default kubeconfig ($KUBECONFIG, ~/.kube/config)
    if (o.context) env.STS_CONTEXT = o.context;
  } else {
    const cluster = await ensureKindCluster({ nodeImage: o.nodeImage, log });
    Object.assign(env, {
      STS_KUBECONFIG: cluster.kubeconfigPath,
      STS_CONTEXT: cluster.context,
      STS_KIND_CLUSTER: cluster.name,
    });
    if (!cluster.reused) created = cluster.name;
  }
  try {
    return await runJest(o, env);
  } finally {
    if (created && !o.keepCluster) {
      log(`deleting kind cluster "${created}" (created by this run; --keep-cluster keeps it)`);
      await deleteKindCluster(created);
    }
  }
}

async function main(argv: string[]): Promise<number> {
  const o = parseOptions(argv);
  switch (o.command) {
    case "help":
      process.stdout.write(`${usage}\n`);
      return ExitCode.Ok;
    case "cluster-up": {
      const cluster = await ensureKindCluster({ nodeImage: o.nodeImage, log });
      process.stdout.write(`${cluster.kubeconfigPath}\n`);
      return ExitCode.Ok;
    }
    case "cluster-down":
      await deleteKindCluster();
      return ExitCode.Ok;
    case "run":
      return run(o);
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  if (e instanceof HarnessError) {
    process.stderr.write(`sts-conformance: ${e.message}\n`);
    process.exitCode = e.exitCode;
  } else {
    throw e;
  }
}
