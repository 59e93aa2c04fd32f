import type * as k8s from "@kubernetes/client-node";
import { Timeouts } from "../config/timeouts.js";
import type { Kube } from "./client.js";
import { withRetry } from "./retry.js";
import { isReady, podState, podsPath } from "./pods.js";
import { waitFor } from "./watch.js";

export async function createSet(
  kube: Kube,
  namespace: string,
  set: k8s.V1StatefulSet,
  service?: k8s.V1Service,
): Promise<void> {
  if (service) await withRetry(() => kube.core.createNamespacedService({ namespace, body: service }));
  await withRetry(() => kube.apps.createNamespacedStatefulSet({ namespace, body: set }));
}

/** Sets spec.replicas through the scale subresource (read, then replace; conflicts retried). */
export async function scaleSet(kube: Kube, namespace: string, name: string, replicas: number): Promise<void> {
  await withRetry(async () => {
    const scale = await kube.apps.readNamespacedStatefulSetScale({ namespace, name });
    scale.spec = { replicas };
    await kube.apps.replaceNamespacedStatefulSetScale({ namespace, name, body: scale });
  });
}

const setPath = (namespace: string) => `/apis/apps/v1/namespaces/${namespace}/statefulsets`;

/** Waits until the controller has observed the latest spec and `check` holds for the status. */
export async function waitForSet(
  kube: Kube,
  namespace: string,
  name: string,
  what: string,
  check: (s: k8s.V1StatefulSet) => boolean,
  timeoutMs = Timeouts.setSettleMs,
): Promise<k8s.V1StatefulSet> {
  const byName = `metadata.name=${name}`;
  return waitFor<k8s.V1StatefulSet, k8s.V1StatefulSet>(
    kube,
    {
      path: setPath(namespace),
      list: () => kube.apps.listNamespacedStatefulSet({ namespace, fieldSelector: byName }),
      fieldSelector: byName,
    },
    `StatefulSet ${name}: ${what}`,
    timeoutMs,
    (current) => {
      const s = current.get(`${namespace}/${name}`);
      const observed = s && (s.status?.observedGeneration ?? 0) >= (s.metadata?.generation ?? 0);
      return s && observed && check(s) ? s : undefined;
    },
    (current) =>
      [...current.values()]
        .map(
          (s) =>
            `replicas=${s.spec?.replicas} ready=${s.status?.readyReplicas ?? 0} current=${s.status?.replicas ?? 0}`,
        )
        .join("; ") || "no such set",
  );
}

/** Waits until exactly the named pods exist and all are Running and Ready. */
export async function waitForReadyPods(
  kube: Kube,
  namespace: string,
  selector: string,
  names: string[],
  timeoutMs = Timeouts.setSettleMs,
): Promise<Map<string, k8s.V1Pod>> {
  const want = [...names].sort().join(",");
  return waitFor<k8s.V1Pod, Map<string, k8s.V1Pod>>(
    kube,
    {
      path: podsPath(namespace),
      list: () => kube.core.listNamespacedPod({ namespace, labelSelector: selector }),
      labelSelector: selector,
    },
    `pods ${names.join(", ") || "(none)"} to be exactly the Ready pods`,
    timeoutMs,
    (current) => {
      const pods = [...current.values()];
      const byName = new Map(pods.map((p) => [p.metadata?.name ?? "", p]));
      return [...byName.keys()].sort().join(",") === want &&
        pods.every((p) => isReady(p) && !p.metadata?.deletionTimestamp)
        ? byName
        : undefined;
    },
    (current) => [...current.values()].map(podState).join("; ") || "no pods",
  );
}
