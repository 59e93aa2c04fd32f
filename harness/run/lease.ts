// One holder at a time of something the run's tests share (the node reserved for faults, the
// cluster alone): a Lease in the run's own namespace. The API server's create is the lock (a
// second create of the same name is refused with 409), so two tests never both hold it.
import { Timeouts } from "../config/timeouts.js";
import type { Kube } from "../kube/client.js";
import { runId, runNamespace } from "../kube/labels.js";
import { withRetry } from "../kube/retry.js";
import { waitFor } from "../kube/watch.js";
import { watchOf } from "../kube/watch-of.js";

/** Takes the run's lease `name` for `holder`, waiting (watching) while another holds it; returns its release. */
export async function takeLease(kube: Kube, name: string, holder: string): Promise<() => Promise<void>> {
  const namespace = runNamespace(runId);
  for (;;) {
    // 409 inside the retried call: it means "held", not a conflict to retry
    const taken = await withRetry(() =>
      kube.coordination
        .createNamespacedLease({ namespace, body: { metadata: { name }, spec: { holderIdentity: holder } } })
        .then(
          () => true,
          (e: { code?: number }) => (e.code === 409 ? false : Promise.reject(e)),
        ),
    );
    if (taken) break;
    await waitFor(kube, {
      watch: watchOf.lease(kube, namespace, name),
      what: `the run's lease "${name}" to be released`,
      timeoutMs: Timeouts.exclusiveGateMs,
      until: (current) => current.size === 0,
      describe: (current) => [...current.values()].map((l) => `held by ${l.spec?.holderIdentity}`).join(", "),
    });
  }
  return async () => {
    await withRetry(() => kube.coordination.deleteNamespacedLease({ namespace, name })).catch((e: { code?: number }) =>
      e.code === 404 ? undefined : Promise.reject(e),
    );
  };
}
