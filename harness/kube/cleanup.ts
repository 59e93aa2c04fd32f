import { cordonedByAnnotation, setUnschedulable } from "../faults/cordon.js";
import type { Kube } from "./client.js";
import { Labels, managedSelector, runId } from "./labels.js";
import { deleteTestNamespace } from "./namespace.js";

async function uncordonWhere(kube: Kube, match: (run: string) => boolean, log: (line: string) => void): Promise<void> {
  for (const node of (await kube.core.listNode()).items) {
    const run = node.metadata?.annotations?.[cordonedByAnnotation];
    if (run === undefined || !match(run)) continue;
    log(`uncordoning node ${node.metadata?.name}, cordoned by run ${run}`);
    await setUnschedulable(kube, node.metadata?.name ?? "", false);
  }
}

/** The names of the namespaces a run created that still exist. */
export async function runNamespaces(kube: Kube, run = runId): Promise<string[]> {
  const list = await kube.core.listNamespace({ labelSelector: `${managedSelector},${Labels.run}=${run}` });
  return list.items.map((n) => n.metadata?.name ?? "");
}

/** Undoes what this run left (after an interrupt): its namespaces (awaited) and its cordons. */
export async function cleanupRun(
  kube: Kube,
  run = runId,
  log: (line: string) => void = () => undefined,
): Promise<void> {
  await uncordonWhere(kube, (r) => r === run, log);
  await Promise.all(
    (await runNamespaces(kube, run)).map((name) => {
      log(`deleting namespace ${name}`);
      return deleteTestNamespace(kube, name);
    }),
  );
}

/** Leftovers of earlier runs that crashed: their namespaces (not awaited) and their cordons. */
export async function sweepLeftovers(kube: Kube, log: (line: string) => void): Promise<void> {
  await uncordonWhere(kube, (r) => r !== runId, log);
  const leftovers = await kube.core.listNamespace({ labelSelector: `${managedSelector},${Labels.run}!=${runId}` });
  for (const n of leftovers.items) {
    log(`deleting leftover namespace ${n.metadata?.name} of an earlier run`);
    await kube.core.deleteNamespace({ name: n.metadata?.name ?? "" }).catch(() => undefined);
  }
}
