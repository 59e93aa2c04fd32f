import { Timeouts } from "../config/timeouts.js";
import type { Kube } from "../kube/client.js";
import { runId } from "../kube/labels.js";
import { withRetry } from "../kube/retry.js";
import { waitFor, watchOf } from "../kube/watch.js";
import type { Fault } from "./undo.js";

/** Set on the cluster DNS Deployment the suite scaled down: `<run id>/<replicas before>`, to undo it after a crash. */
const scaledDownByAnnotation = "sts-conformance.io/scaled-down-by";
const namespace = "kube-system";
const name = "coredns";

/** Scales the DNS Deployment (with the marker when down) and waits until exactly `replicas` serve. */
export async function scaleClusterDns(kube: Kube, replicas: number, marker?: string): Promise<void> {
  await withRetry(async () => {
    const d = await kube.apps.readNamespacedDeployment({ namespace, name });
    const others = Object.entries(d.metadata?.annotations ?? {}).filter(([k]) => k !== scaledDownByAnnotation);
    d.metadata = {
      ...d.metadata,
      annotations: Object.fromEntries(marker ? [...others, [scaledDownByAnnotation, marker]] : others),
    };
    d.spec = { ...d.spec, replicas } as typeof d.spec;
    await kube.apps.replaceNamespacedDeployment({ namespace, name, body: d });
  });
  await waitFor(kube, {
    watch: watchOf.deployment(kube, namespace, name),
    what: `cluster DNS (${namespace}/${name}) at ${replicas} available replica(s) and no other`,
    timeoutMs: Timeouts.setSettleMs,
    until: (current) =>
      [...current.values()].some(
        (d) =>
          (d.status?.availableReplicas ?? 0) === replicas &&
          (d.status?.replicas ?? 0) === replicas &&
          d.status?.observedGeneration === d.metadata?.generation,
      ),
  });
  // Terminating DNS pods still answer for a while (lame duck): down means gone.
  if (replicas === 0)
    await waitFor(kube, {
      watch: watchOf.pods(kube, namespace, "k8s-app=kube-dns"),
      what: "the cluster DNS pods to be gone",
      timeoutMs: Timeouts.setSettleMs,
      until: (current) => current.size === 0,
    });
}

/**
 * Who scaled cluster DNS down and from how many replicas, by the marker on its Deployment
 * (undefined: not scaled down by the suite, or no CoreDNS Deployment at all).
 */
export async function clusterDnsScaledDown(kube: Kube): Promise<{ run: string; replicas: number } | undefined> {
  const d = await kube.apps.readNamespacedDeployment({ namespace, name }).catch((e: { code?: number }) => {
    if (e.code === 404) return undefined; // not a CoreDNS cluster: nothing the suite could have changed
    throw e;
  });
  const [run = "", replicas = ""] = (d?.metadata?.annotations?.[scaledDownByAnnotation] ?? "").split("/");
  return run ? { run, replicas: Number(replicas) } : undefined;
}

/**
 * Cluster DNS is down: CoreDNS scaled to zero, its pods gone. Undone by scaling it back to what
 * it was, available again. The Deployment carries a marker meanwhile, so an interrupted run's
 * cleanup can undo it too.
 */
export function clusterDnsDown(kube: Kube): Fault {
  let before = 2;
  return {
    what: `scale cluster DNS (${namespace}/${name}) to 0`,
    apply: async () => {
      before = (await kube.apps.readNamespacedDeployment({ namespace, name })).spec?.replicas ?? before;
      await scaleClusterDns(kube, 0, `${runId}/${before}`);
    },
    undo: () => scaleClusterDns(kube, before),
    stillChanged: async () => {
      const d = await kube.apps.readNamespacedDeployment({ namespace, name });
      if ((d.status?.availableReplicas ?? 0) < before)
        return `${d.status?.availableReplicas ?? 0} of ${before} available`;
      if (d.metadata?.annotations?.[scaledDownByAnnotation]) return "still carries the scaled-down marker";
      return undefined;
    },
  };
}
