// The Eviction API, as kubectl drain uses it: a pod evicted, or the budget's refusal as an outcome.
import type * as k8s from "@kubernetes/client-node";
import type { Kube } from "../kube/client.js";

export type EvictionOutcome = { evicted: true } | { evicted: false; code: number; reason: string };

/**
 * Asks the Eviction API to evict a pod, as `kubectl drain` does. A PodDisruptionBudget that
 * would be broken makes the API refuse (HTTP 429): that is an outcome here, not an error.
 */
export async function evict(kube: Kube, namespace: string, name: string): Promise<EvictionOutcome> {
  const body: k8s.V1Eviction = { apiVersion: "policy/v1", kind: "Eviction", metadata: { name, namespace } };
  try {
    await kube.core.createNamespacedPodEviction({ namespace, name, body });
    return { evicted: true };
  } catch (e) {
    const code = (e as { code?: number }).code ?? 0;
    if (code === 429) return { evicted: false, code, reason: String((e as { body?: unknown }).body ?? "") };
    throw e;
  }
}
