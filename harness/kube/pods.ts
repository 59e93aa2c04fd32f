import type * as k8s from "@kubernetes/client-node";
import { Timeouts } from "../config/timeouts.js";
import type { Kube } from "./client.js";
import { waitFor } from "./watch.js";

export const podsPath = (namespace: string) => `/api/v1/namespaces/${namespace}/pods`;

export const isReady = (pod: k8s.V1Pod) =>
  pod.status?.phase === "Running" &&
  (pod.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");

/** What a pod is doing, in one line, for failure messages. */
export function podState(pod: k8s.V1Pod): string {
  const waiting = pod.status?.containerStatuses
    ?.map((c) => c.state?.waiting?.reason ?? c.state?.terminated?.reason)
    .filter(Boolean);
  const unscheduled = pod.status?.conditions?.find((c) => c.type === "PodScheduled" && c.status === "False");
  return [pod.metadata?.name, pod.status?.phase, ...(waiting ?? []), unscheduled?.message].filter(Boolean).join(" ");
}

/** Waits until the named pod exists and `check` holds for it; returns it. */
export async function waitForPod(
  kube: Kube,
  namespace: string,
  name: string,
  what: string,
  check: (pod: k8s.V1Pod) => boolean,
  timeoutMs: number,
): Promise<k8s.V1Pod> {
  const byName = `metadata.name=${name}`;
  return waitFor<k8s.V1Pod, k8s.V1Pod>(
    kube,
    {
      path: podsPath(namespace),
      list: () => kube.core.listNamespacedPod({ namespace, fieldSelector: byName }),
      fieldSelector: byName,
    },
    `${namespace}/${name} ${what}`,
    timeoutMs,
    (current) => {
      const pod = current.get(`${namespace}/${name}`);
      return pod && check(pod) ? pod : undefined;
    },
    (current) => [...current.values()].map(podState).join("; ") || `${name} absent`,
  );
}

/** Waits for a pod to finish (Succeeded or Failed) and returns it. */
export function waitForPodCompletion(
  kube: Kube,
  namespace: string,
  name: string,
  timeoutMs = Timeouts.podStartMs,
): Promise<k8s.V1Pod> {
  const finished = (pod: k8s.V1Pod) => pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
  return waitForPod(kube, namespace, name, "to complete", finished, timeoutMs);
}

export interface PodRun {
  pod: k8s.V1Pod;
  succeeded: boolean;
  logs: string;
}

/** Creates a pod that runs to completion, waits for it, and returns its phase and logs. */
export async function runPod(
  kube: Kube,
  namespace: string,
  pod: k8s.V1Pod,
  timeoutMs = Timeouts.podStartMs,
): Promise<PodRun> {
  const name = pod.metadata?.name ?? "";
  await kube.core.createNamespacedPod({ namespace, body: pod });
  const done = await waitForPodCompletion(kube, namespace, name, timeoutMs);
  const logs = await kube.core.readNamespacedPodLog({ namespace, name }).catch((e: Error) => `(no logs: ${e.message})`);
  return { pod: done, succeeded: done.status?.phase === "Succeeded", logs: String(logs) };
}

/** Waits until a namespace has pods and every one is Running and Ready (system namespaces). */
export async function waitForAllPodsReady(kube: Kube, namespace: string, timeoutMs: number): Promise<void> {
  await waitFor<k8s.V1Pod, true>(
    kube,
    { path: podsPath(namespace), list: () => kube.core.listNamespacedPod({ namespace }) },
    `every pod in ${namespace} to be Running and Ready`,
    timeoutMs,
    (pods) => (pods.size > 0 && [...pods.values()].every(isReady) ? true : undefined),
    (pods) =>
      [...pods.values()]
        .filter((p) => !isReady(p))
        .map(podState)
        .join("; "),
  );
}
