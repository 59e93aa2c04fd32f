// A failed test's evidence in the report: pod logs, events and object dumps.
import type { Kube } from "../../harness/kube/client.js";
import { attach } from "../../harness/report/step.js";

/**
 * A failed scenario's evidence, attached to the report: every pod's log, and dumps of the
 * namespace's sets, pods, claims and events. Best effort: what cannot be read says why.
 */
export async function attachEvidence(kube: Kube, namespace: string): Promise<void> {
  const unreadable = (e: Error) => ({ items: [`(could not list: ${e.message})`] });
  const pods = await kube.core.listNamespacedPod({ namespace }).catch(unreadable);
  for (const pod of pods.items) {
    if (typeof pod === "string") continue;
    const name = pod.metadata?.name ?? "";
    const log = await kube.core
      .readNamespacedPodLog({ namespace, name, container: pod.spec?.containers[0]?.name })
      .catch((e: Error) => `(no log: ${e.message})`);
    await attach(`log ${name}`, String(log));
  }
  const dumps = {
    statefulsets: await kube.apps.listNamespacedStatefulSet({ namespace }).catch(unreadable),
    pods,
    persistentvolumeclaims: await kube.core.listNamespacedPersistentVolumeClaim({ namespace }).catch(unreadable),
    events: await kube.core.listNamespacedEvent({ namespace }).catch(unreadable),
  };
  for (const [kind, list] of Object.entries(dumps))
    await attach(`${kind}.json`, JSON.stringify(list.items, null, 2), "application/json");
}
