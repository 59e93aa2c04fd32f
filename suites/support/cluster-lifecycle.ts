// Jest global setup/teardown of the cluster project: find or create the target cluster once per
// run. With STS_KUBECONFIG set the suite tests that cluster; otherwise it brings up the default
// kind cluster (building the air-gapped node image first if needed), and deletes it at the end
// if this run created it (unless STS_KEEP_CLUSTER=1).
import { deleteKindCluster, ensureKindCluster, kindTargetSettings } from "../../harness/cluster/provision.js";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { paths } from "../../harness/config/paths.js";
import { exportSettings, readSettings, setting } from "../../harness/config/settings.js";
import { preflight, type PreflightReport } from "../../harness/cluster/preflight.js";
import { claimed, inferred } from "../../harness/storage/expectations.js";
import { loadProfile } from "../../harness/storage/profile.js";
import { ExitCode, HarnessError, suiteFailedLine } from "../../harness/errors/harness-error.js";
import { Labels, runId, runSelector } from "../../harness/kube/labels.js";
import { namespacesGone } from "../../harness/kube/namespace.js";
import { watchOf } from "../../harness/kube/watch-of.js";
import { Kube, type Target } from "../../harness/kube/client.js";
import { credentialsRefused } from "../../harness/kube/refused.js";
import { runNamespaces, sweepLeftovers } from "../../harness/run/cleanup.js";
import { startHeartbeat } from "../../harness/run/heartbeat.js";
import { writeStoppedJunit } from "../../harness/report/stopped.js";
import { targetKube } from "./target.js";

const log = (line: string) => process.stderr.write(`[cluster] ${line}\n`);

/** Ends the run on `e` in one line; `beforeTests`: the reporters will not run, so a JUnit file says why. */
function exitOnHarnessError(e: unknown, beforeTests = false): never {
  const refused = credentialsRefused(e);
  if (refused) {
    // Nothing more can be asked of the cluster, not even what is left: say where to look.
    const selector = `${Labels.run}=${runId}`;
    process.stderr.write(
      `sts-conformance: the cluster stopped accepting the suite's credentials (${refused}); what this run made may be left: ` +
        `namespaces labelled ${selector} (with working credentials: kubectl delete namespace -l ${selector})\n`,
    );
    process.exit(ExitCode.Environment);
  }
  const line = e instanceof HarnessError ? e.message : suiteFailedLine(e);
  process.stderr.write(`sts-conformance: ${line}\n`);
  if (beforeTests) writeStoppedJunit(paths.reportsDir, line);
  process.exit(e instanceof HarnessError ? e.exitCode : ExitCode.SuiteFailed);
}

export async function setup(): Promise<void> {
  try {
    readSettings(process.env); // junk in any STS_* variable: one line, exit 2, before anything is touched
    rmSync(join(paths.reportsDir, "allure-results"), { recursive: true, force: true }); // this run's results only
    exportSettings({ runId }); // workers start after this: every namespace carries one run id
    const target: Target = {};
    const kubeconfig = setting("kubeconfig");
    if (kubeconfig !== undefined) {
      target.kubeconfigPath = kubeconfig || undefined;
      target.context = setting("context") || undefined;
    } else {
      const cluster = await ensureKindCluster({ log });
      Object.assign(target, { kubeconfigPath: cluster.kubeconfigPath, context: cluster.context });
      exportSettings(kindTargetSettings(cluster));
      if (!cluster.reused) exportSettings({ createdCluster: cluster.name });
    }
    const report = await preflight(target, {
      storageClass: setting("storageClass") || undefined,
      skipProbes: setting("skipPreflight"),
      claimSize: setting("claimSize"),
    });
    exportSettings({ storageClassInUse: report.storageClass }); // the workers and the reporter read this one
    exportSettings({ privilegedPods: report.privilegedPods }); // node faults by a pod are not run where refused
    if (report.privilegedPods)
      log(`privileged pods refused (node faults by a pod will not run): ${report.privilegedPods}`);
    const { server, version, nodes, storageClass } = report;
    exportSettings({ target: JSON.stringify({ server, kubernetesVersion: version, nodes, storageClass }) });
    await exportExpectations(Kube.fromTarget(target), report); // a plain run's storage tests expect what is inferred
    log(
      `target ${report.server}: Kubernetes ${report.version}, ${report.nodes} nodes, StorageClass ${report.storageClass}`,
    );
    const kube = Kube.fromTarget(target);
    await sweepLeftovers(kube, log);
    // The teardown runs in this process too: it stops the heartbeat before deleting the run's namespace.
    (globalThis as RunGlobals).stopHeartbeat = await startHeartbeat(kube, log);
  } catch (e) {
    exitOnHarnessError(e, true);
  }
}

/**
 * The run's expectations of its StorageClass: a storage run's profile's claims, or what the cluster
 * says of the class (inferred); for the tests and the reporter, and in reports/ for people.
 */
async function exportExpectations(kube: Kube, report: PreflightReport): Promise<void> {
  const sc = await kube.storage.readStorageClass({ name: report.storageClass });
  const file = setting("storageProfile");
  const e = file ? claimed(loadProfile(file), sc) : inferred(sc, report.canaryVolume, setting("claimSize"));
  exportSettings({ storageExpectations: JSON.stringify(e) });
  mkdirSync(paths.reportsDir, { recursive: true });
  writeFileSync(join(paths.reportsDir, "storage-expectations.json"), `${JSON.stringify(e, null, 2)}\n`);
  log(
    `storage: ${file ? `profile ${file}` : "no profile: expectations inferred from the cluster"}; topology ${e.topology.value} (${e.topology.source}), binding ${e.bindingMode.value}, expansion ${e.expansion.value}`,
  );
}

/** What the global setup leaves for the teardown, which Jest runs in the same process. */
interface RunGlobals {
  stopHeartbeat?: () => Promise<void>;
}

export async function teardown(): Promise<void> {
  await (globalThis as RunGlobals).stopHeartbeat?.().catch(exitOnHarnessError);
  await checkNothingLeft().catch(exitOnHarnessError);
  const created = setting("createdCluster");
  if (!created || setting("keepCluster")) return;
  log(`deleting kind cluster "${created}" (created by this run; STS_KEEP_CLUSTER=1 keeps it)`);
  await deleteKindCluster(created).catch(exitOnHarnessError);
}

/**
 * Every namespace this run created must be gone, with its volumes: otherwise the run fails. Tests
 * wait for their namespace's pods, claims and volumes; the namespace objects go about 5 s later
 * (the namespace controller's grace period), waited for here, all at once.
 */
async function checkNothingLeft(): Promise<void> {
  if (setting("kubeconfig") === undefined) return; // setup never reached a cluster
  const kube = targetKube();
  await namespacesGone(kube, watchOf.runNamespaces(kube, runSelector())).catch(
    () => undefined, // what is left is named below
  );
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
