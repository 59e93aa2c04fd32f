// Jest global setup/teardown of the cluster project: find or create the target cluster once per
// run. With STS_KUBECONFIG set the suite tests that cluster; otherwise it brings up the default
// kind cluster (building the air-gapped node image first if needed), and deletes it at the end
// if this run created it (unless STS_KEEP_CLUSTER=1).
import { deleteKindCluster, ensureKindCluster } from "../../harness/cluster/provision.js";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { reportsDir } from "../../harness/config/paths.js";
import { preflight } from "../../harness/cluster/preflight.js";
import { ExitCode, HarnessError } from "../../harness/errors/harness-error.js";
import { Labels, runId } from "../../harness/kube/labels.js";
import { Kube, type Target } from "../../harness/kube/client.js";
import { runNamespaces, sweepLeftovers } from "../../harness/kube/cleanup.js";
import { targetKube } from "./target.js";

const log = (line: string) => process.stderr.write(`[cluster] ${line}\n`);

function exitOnHarnessError(e: unknown): never {
  if (e instanceof HarnessError) {
    process.stderr.write(`sts-conformance: ${e.message}\n`);
    process.exit(e.exitCode);
  }
  throw e;
}

export async function setup(): Promise<void> {
  rmSync(join(reportsDir, "allure-results"), { recursive: true, force: true }); // this run's results only
  process.env.STS_RUN_ID = runId; // workers start after this: every namespace carries one run id
  try {
    const target: Target = {};
    if (process.env.STS_KUBECONFIG !== undefined) {
      target.kubeconfigPath = process.env.STS_KUBECONFIG || undefined;
      target.context = process.env.STS_CONTEXT || undefined;
    } else {
      const cluster = await ensureKindCluster({ log });
      Object.assign(target, { kubeconfigPath: cluster.kubeconfigPath, context: cluster.context });
      process.env.STS_KUBECONFIG = cluster.kubeconfigPath;
      process.env.STS_CONTEXT = cluster.context;
      process.env.STS_KIND_CLUSTER = cluster.name;
      if (!cluster.reused) process.env.STS_CREATED_CLUSTER = cluster.name;
    }
    const report = await preflight(target, { storageClass: process.env.STS_STORAGE_CLASS });
    process.env.STS_STORAGE_CLASS = report.storageClass;
    process.env.STS_NODE_COUNT = String(report.nodes);
    log(
      `target ${report.server}: Kubernetes ${report.version}, ${report.nodes} nodes, StorageClass ${report.storageClass}`,
    );
    await sweepLeftovers(Kube.fromTarget(target), log);
  } catch (e) {
    exitOnHarnessError(e);
  }
}

export async function teardown(): Promise<void> {
  await checkNothingLeft().catch(exitOnHarnessError);
  const created = process.env.STS_CREATED_CLUSTER;
  if (!created || process.env.STS_KEEP_CLUSTER === "1") return;
  log(`deleting kind cluster "${created}" (created by this run; STS_KEEP_CLUSTER=1 keeps it)`);
  await deleteKindCluster(created).catch(exitOnHarnessError);
}

/** Every namespace this run created must be gone, with its volumes: otherwise the run fails. */
async function checkNothingLeft(): Promise<void> {
  if (process.env.STS_KUBECONFIG === undefined) return; // setup never reached a cluster
  const kube = targetKube();
  const names = await runNamespaces(kube);
  const volumes = (await kube.core.listPersistentVolume()).items.filter((pv) =>
    names.includes(pv.spec?.claimRef?.namespace ?? ""),
  );
  if (names.length > 0) {
    throw new HarnessError(
      `this run left ${names.length} namespace(s) (${names.join(", ")}) and ${volumes.length} volume(s) behind; the next run deletes them`,
      ExitCode.GuaranteeBroken,
    );
  }
  log(`nothing left behind: no namespace labelled ${Labels.run}=${runId}`);
}
