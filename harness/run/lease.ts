// One holder at a time of something the run's tests share (a node kept for faults, the cluster
// alone): a Lease in the run's own namespace. The API server's create is the lock (a
// second create of the same name is refused with 409), so two tests never both hold it.
import { Timeouts } from "../config/timeouts.js";
import type { Kube } from "../kube/client.js";
import { runId, runNamespace } from "../kube/labels.js";
import { withRetry } from "../kube/retry.js";
import { waitFor } from "../kube/watch.js";
import { watchOf } from "../kube/watch-of.js";

/**
 * Takes whichever of the run's leases `names` is free first for `holder` (one of two nodes kept for
 * faults), waiting (watching) while others hold them all; returns the one taken and its release.
 */
export async function takeAnyLease(
  kube: Kube,
  names: string[],
  holder: string,
): Promise<{ name: string; release: () => Promise<void> }> {
  const namespace = runNamespace(runId);
  for (;;) {
    for (const name of names) {
      // 409 inside the retried call: it means "held", not a conflict to retry
      const taken = await withRetry(() =>
        kube.coordination
          .createNamespacedLease({ namespace, body: { metadata: { name }, spec: { holderIdentity: holder } } })
          .then(
            () => true,
            (e: { code?: number }) => (e.code === 409 ? false : Promise.reject(e)),
          ),
      );
      if (taken) return { name, release: () => releaseLease(kube, namespace, name) };
    }
    await waitFor(kube, {
      watch: watchOf.leases(kube, namespace),
      what: `one of the run's leases ${names.map((n) => `"${n}"`).join(", ")} to be released`,
      timeoutMs: Timeouts.exclusiveGateMs,
      until: (current) => {
        const held = new Set([...current.values()].map((l) => l.metadata?.name));
        return names.some((n) => !held.has(n));
      },
      describe: (current) =>
        [...current.values()]
          .filter((l) => names.includes(l.metadata?.name ?? ""))
          .map((l) => `${l.metadata?.name} held by ${l.spec?.holderIdentity}`)
          .join(", "),
    });
  }
}

const releaseLease = (kube: Kube, namespace: string, name: string) =>
  withRetry(() => kube.coordination.deleteNamespacedLease({ namespace, name })).then(
    () => undefined,
    (e: { code?: number }) => (e.code === 404 ? undefined : Promise.reject(e)),
  );
