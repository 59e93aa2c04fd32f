// Jest global setup of the cluster project: find or create the target cluster once per run.
// With STS_KUBECONFIG set the suite tests that cluster; otherwise it brings up the default kind
// cluster (building the air-gapped node image first if needed) and points the tests at it.
import { ensureKindCluster } from "../../harness/cluster/provision.js";
import { HarnessError } from "../../harness/errors/harness-error.js";

export default async function globalSetup(): Promise<void> {
  if (process.env.STS_KUBECONFIG) return;
  try {
    const cluster = await ensureKindCluster({ log: (line) => process.stderr.write(`[cluster] ${line}\n`) });
    process.env.STS_KUBECONFIG = cluster.kubeconfigPath;
    process.env.STS_CONTEXT = cluster.context;
    process.env.STS_KIND_CLUSTER = cluster.name;
  } catch (e) {
    if (e instanceof HarnessError) {
      process.stderr.write(`sts-conformance: ${e.message}\n`);
      process.exit(e.exitCode);
    }
    throw e;
  }
}
