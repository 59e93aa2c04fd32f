// Pods: their state in words, waits for a pod's condition or completion, one-shot pods, and the
// system pods a cluster must have Ready.
import type * as k8s from "@kubernetes/client-node";
import { Timeouts } from "../config/timeouts.js";
import type { Kube } from "./client.js";
import { waitFor } from "./watch.js";
import { watchOf } from "./watch-of.js";

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
  const key = `${namespace}/${name}`;
  const found = (current: Map<string, k8s.V1Pod>) => {
    const pod = current.get(key);
    return pod !== undefined && check(pod);
  };
  const pods = await waitFor(kube, {
    watch: watchOf.pod(kube, namespace, name),
    what: `${key} ${what}`,
    timeoutMs,
    until: found,
    describe: (current) => [...current.values()].map(podState).join("; ") || `${name} absent`,
  });
  return pods.get(key) as k8s.V1Pod;
}

/** Waits for a pod to finish (Succeeded or Failed) and returns it. */
export function waitForPodCompletion(
  kube: Kube,
  namespace: string,
  name: string,
  timeoutMs: number = Timeouts.podStartMs,
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
  timeoutMs: number = Timeouts.podStartMs,
): Promise<PodRun> {
  const name = pod.metadata?.name ?? "";
  await kube.core.createNamespacedPod({ namespace, body: pod });
  const done = await waitForPodCompletion(kube, namespace, name, timeoutMs);
  const logs = await kube.core.readNamespacedPodLog({ namespace, name }).catch((e: Error) => `(no logs: ${e.message})`);
  return { pod: done, succeeded: done.status?.phase === "Succeeded", logs: String(logs) };
}

/**
 * A pod that serves the cluster: run by a controller or, as a static pod, by its node. A bare pod
 * is one-shot work (local-path's helper pods, one per volume made or deleted, come and go all run).
 */
export const isSystemService = (p: k8s.V1Pod) => (p.metadata?.ownerReferences?.length ?? 0) > 0;

/**
 * Waits until a system namespace has service pods and every one is Running and Ready, but those
 * on `except` (nodes the run itself takes down meanwhile).
 */
export async function waitForSystemPodsReady(
  kube: Kube,
  namespace: string,
  timeoutMs: number,
  except: string[] = [],
): Promise<void> {
  const services = (pods: Map<string, k8s.V1Pod>) =>
    [...pods.values()].filter((p) => isSystemService(p) && !except.includes(p.spec?.nodeName ?? ""));
  await waitFor(kube, {
    watch: watchOf.pods(kube, namespace),
    what: `every service pod in ${namespace} to be Running and Ready`,
    timeoutMs,
    until: (pods) => services(pods).length > 0 && services(pods).every(isReady),
    describe: (pods) =>
      services(pods)
        .filter((p) => !isReady(p))
        .map(podState)
        .join("; "),
  });
}
