// Cleaning up a run: its namespaces deleted and its faults undone from their markers, after it ends,
// on Ctrl-C, or by a later run sweeping a crashed one's leftovers.
import { nodeRecoveries } from "../faults/recoveries.js";
import type { Kube } from "../kube/client.js";
import { Labels, managedSelector, runId, runSelector } from "../kube/labels.js";
import { deleteTestNamespace } from "../kube/namespace.js";
import { liveRuns, staleAfterMs } from "./heartbeat.js";
import type * as k8s from "@kubernetes/client-node";

/** Nodes carrying `marker` set by a run `match` accepts: their names and that run. */
async function nodesMarkedBy(
  kube: Kube,
  marker: string,
  match: (run: string) => boolean,
): Promise<Array<{ node: string; run: string }>> {
  return (await kube.core.listNode()).items
    .map((n) => ({ node: n.metadata?.name ?? "", run: n.metadata?.annotations?.[marker] }))
    .filter((m): m is { node: string; run: string } => m.run !== undefined && match(m.run));
}

/** Undoes the Node changes (faults, taints, cordons) of the runs `match` accepts, from their markers. */
async function restoreNodesWhere(
  kube: Kube,
  match: (run: string) => boolean,
  log: (line: string) => void,
): Promise<void> {
  for (const recovery of nodeRecoveries)
    for (const { node, run } of await nodesMarkedBy(kube, recovery.annotation, match)) {
      log(recovery.describe(node, run));
      await recovery.restore(kube, node);
    }
}

/** The names of the namespaces a run created that still exist. */
export async function runNamespaces(kube: Kube, run = runId): Promise<string[]> {
  const list = await kube.core.listNamespace({ labelSelector: runSelector(run) });
  return list.items.map((n) => n.metadata?.name ?? "");
}

/** Undoes what this run left (after an interrupt): its namespaces (awaited) and its cordons. */
export async function cleanupRun(
  kube: Kube,
  run = runId,
  log: (line: string) => void = () => undefined,
): Promise<void> {
  await restoreNodesWhere(kube, (r) => r === run, log);
  await Promise.all(
    (await runNamespaces(kube, run)).map((name) => {
      log(`deleting namespace ${name}`);
      return deleteTestNamespace(kube, name);
    }),
  );
}

/**
 * Leftovers of earlier runs that crashed: their namespaces (not awaited) and their cordons. A run
 * whose heartbeat is fresh is alive (another CI job on the same cluster): its things are left alone,
 * and so are namespaces too young to tell.
 */
export async function sweepLeftovers(kube: Kube, log: (line: string) => void): Promise<void> {
  const live = await liveRuns(kube);
  await restoreNodesWhere(kube, (r) => r !== runId && !live.has(r), log);
  const others = await kube.core.listNamespace({
    labelSelector: `${managedSelector},${Labels.run}!=${runId},!${Labels.upgrade}`,
  });
  for (const name of leftovers(others.items, live, Date.now())) {
    log(`deleting leftover namespace ${name} of an earlier run`);
    await kube.core.deleteNamespace({ name }).catch(() => undefined);
  }
}

/**
 * Of other runs' namespaces, those a sweep deletes: of a run whose heartbeat is not fresh, and old
 * enough that its run would have made its heartbeat by now.
 */
export function leftovers(namespaces: k8s.V1Namespace[], live: Set<string>, now: number): string[] {
  const young = (n: k8s.V1Namespace) => now - new Date(n.metadata?.creationTimestamp ?? 0).getTime() < staleAfterMs;
  return namespaces
    .filter((n) => !live.has(n.metadata?.labels?.[Labels.run] ?? "") && !young(n))
    .map((n) => n.metadata?.name ?? "");
}
