// A run's sign of life, so that a run never sweeps away what a live run on the same cluster is
// using (CI and a nightly run may share one): each run owns a namespace `sts-run-<id>` whose
// heartbeat annotation it renews while it runs. Another run's leftovers are swept only when that
// run's heartbeat is missing or stale.
import type * as k8s from "@kubernetes/client-node";
import type { Kube } from "../kube/client.js";
import { Labels, managedByValue, managedSelector, runId, runNamespace } from "../kube/labels.js";
import { releaseTestNamespace } from "../kube/namespace.js";
import { credentialsRefused } from "../kube/refused.js";
import { withRetry } from "../kube/retry.js";

const heartbeatAnnotation = "sts-conformance.io/heartbeat";
const roleLabel = "sts-conformance.io/role";
const beatMs = 30_000;
/** A heartbeat older than this means the run is gone (crashed, killed). */
export const staleAfterMs = 4 * beatMs;

async function beat(kube: Kube): Promise<void> {
  await withRetry(async () => {
    const ns = await kube.core.readNamespace({ name: runNamespace(runId) });
    ns.metadata = {
      ...ns.metadata,
      annotations: { ...ns.metadata?.annotations, [heartbeatAnnotation]: new Date().toISOString() },
    };
    await kube.core.replaceNamespace({ name: runNamespace(runId), body: ns });
  });
}

/** Starts this run's heartbeat; the returned function stops it and deletes its namespace (not awaiting it: the caller waits for every namespace of the run). */
export async function startHeartbeat(kube: Kube, log: (line: string) => void): Promise<() => Promise<void>> {
  const body = heartbeatOf(runId, new Date());
  await withRetry(() => kube.core.createNamespace({ body }));
  const timer = setInterval(() => {
    beat(kube).catch((e: Error) =>
      log(
        `heartbeat not renewed (tried again in ${beatMs / 1000} s): ${credentialsRefused(e) ?? e.message.split("\n")[0]}`,
      ),
    );
  }, beatMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await releaseTestNamespace(kube, runNamespace(runId));
  };
}

/** Of the runs' namespaces, the runs whose heartbeat is fresh at `now` (one without a heartbeat is not). */
export const freshRuns = (runNamespaces: k8s.V1Namespace[], now: number): Set<string> =>
  new Set(
    runNamespaces
      .filter((n) => now - Date.parse(n.metadata?.annotations?.[heartbeatAnnotation] ?? "") < staleAfterMs)
      .map((n) => n.metadata?.labels?.[Labels.run] ?? ""),
  );

/** The runs on this cluster whose heartbeat is fresh (this one included). */
export async function liveRuns(kube: Kube, now = Date.now()): Promise<Set<string>> {
  const list = await kube.core.listNamespace({ labelSelector: `${managedSelector},${roleLabel}=run` });
  return freshRuns(list.items, now);
}

/** A run's own namespace, its heartbeat at `at`. */
export const heartbeatOf = (run: string, at: Date): k8s.V1Namespace => ({
  metadata: {
    name: runNamespace(run),
    labels: {
      [Labels.managedBy]: managedByValue,
      [Labels.run]: run,
      [roleLabel]: "run",
      // Node faults off Docker are made by privileged pods here (harness/cluster/node-pod.ts): a
      // cluster enforcing a Pod Security level by default would refuse them.
      "pod-security.kubernetes.io/enforce": "privileged",
    },
    annotations: { [heartbeatAnnotation]: at.toISOString() },
  },
});
