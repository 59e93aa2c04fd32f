// Jest global setup/teardown of the cluster project: find or create the target cluster once per
// run. With STS_KUBECONFIG set the suite tests that cluster; otherwise it brings up the default
// kind cluster (building the air-gapped node image first if needed), and deletes it at the end
// if this run created it (unless STS_KEEP_CLUSTER=1).
import { deleteKindCluster, ensureKindCluster } from "../../harness/cluster/provision.js";
import { HarnessError } from "../../harness/errors/harness-error.js";

const log = (line: string) => process.stderr.write(`[cluster] ${line}\n`);

function exitOnHarnessError(e: unknown): never {
  if (e instanceof HarnessError) {
    process.stderr.write(`sts-conformance: ${e.message}\n`);
    process.exit(e.exitCode);
  }
  throw e;
}

export async function setup(): Promise<void> {
  if (process.env.STS_KUBECONFIG) return;
  try {
    const cluster = await ensureKindCluster({ log });
    process.env.STS_KUBECONFIG = cluster.kubeconfigPath;
    process.env.STS_CONTEXT = cluster.context;
    process.env.STS_KIND_CLUSTER = cluster.name;
    if (!cluster.reused) process.env.STS_CREATED_CLUSTER = cluster.name;
  } catch (e) {
    exitOnHarnessError(e);
  }
}

export async function teardown(): Promise<void> {
  const created = process.env.STS_CREATED_CLUSTER;
  if (!created || process.env.STS_KEEP_CLUSTER === "1") return;
  log(`deleting kind cluster "${created}" (created by this run; STS_KEEP_CLUSTER=1 keeps it)`);
  await deleteKindCluster(created).catch(exitOnHarnessError);
}
