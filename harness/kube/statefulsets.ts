// StatefulSets: created, scaled, and waited for (a condition on the set, its pods Ready).
import type * as k8s from "@kubernetes/client-node";
import { Timeouts } from "../config/timeouts.js";
import type { Kube } from "./client.js";
import { withRetry } from "./retry.js";
import { isReady, podState } from "./pods.js";
import { waitFor } from "./watch.js";
import { watchOf } from "./watch-of.js";

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

/** Waits until the controller has observed the latest spec and `check` holds for the status. */
export async function waitForSet(
  kube: Kube,
  namespace: string,
  name: string,
  what: string,
  check: (s: k8s.V1StatefulSet) => boolean,
  timeoutMs = Timeouts.setSettleMs,
): Promise<k8s.V1StatefulSet> {
  const key = `${namespace}/${name}`;
  const sets = await waitFor(kube, {
    watch: watchOf.set(kube, namespace, name),
    what: `StatefulSet ${name}: ${what}`,
    timeoutMs,
    until: (current) => {
      const s = current.get(key);
      const observed = s !== undefined && (s.status?.observedGeneration ?? 0) >= (s.metadata?.generation ?? 0);
      return observed && check(s);
    },
    describe: (current) =>
      [...current.values()]
        .map(
          (s) =>
            `replicas=${s.spec?.replicas} ready=${s.status?.readyReplicas ?? 0} current=${s.status?.replicas ?? 0}`,
        )
        .join("; ") || "no such set",
  });
  return sets.get(key) as k8s.V1StatefulSet;
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
  const pods = await waitFor(kube, {
    watch: watchOf.pods(kube, namespace, selector),
    what: `pods ${names.join(", ") || "(none)"} to be exactly the Ready pods`,
    timeoutMs,
    until: (current) =>
      [...current.values()]
        .map((p) => p.metadata?.name ?? "")
        .sort()
        .join(",") === want && [...current.values()].every((p) => isReady(p) && !p.metadata?.deletionTimestamp),
    describe: (current) => [...current.values()].map(podState).join("; ") || "no pods",
  });
  return new Map([...pods.values()].map((p) => [p.metadata?.name ?? "", p]));
}
