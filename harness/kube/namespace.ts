import type * as k8s from "@kubernetes/client-node";
import { Timeouts } from "../config/timeouts.js";
import type { Kube } from "./client.js";
import { Labels, managedByValue, managedSelector, runId } from "./labels.js";
import { withRetry } from "./retry.js";
import { waitFor, watchOf } from "./watch.js";

/** A Kubernetes-safe slug of a test name. */
export function slug(text: string, max = 40): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return s.slice(0, max).replace(/-+$/, "") || "test";
}

/** Creates a namespace labelled as ours, for one test. */
export async function createTestNamespace(kube: Kube, testName: string): Promise<string> {
  const name = `sts-${slug(testName, 40)}-${Math.random().toString(36).slice(2, 7)}`;
  const labels = { [Labels.managedBy]: managedByValue, [Labels.run]: runId, [Labels.test]: slug(testName, 63) };
  await withRetry(async () => {
    try {
      await kube.core.createNamespace({ body: { metadata: { name, labels } } });
    } catch (e) {
      // A retry after a lost response finds the namespace an earlier attempt created: done.
      const existing = (e as { code?: number }).code === 409 && (await kube.core.readNamespace({ name }));
      if (!existing || existing.metadata?.labels?.[Labels.run] !== runId) throw e;
    }
  });
  return name;
}

const notFound = (e: unknown) => (e as { code?: number }).code === 404;

/**
 * Deletes a namespace of ours and waits until it and the volumes its claims bound are gone
 * (local-path deletes a PV's data only after the PV object goes). Volumes whose reclaim policy
 * is Retain stay, as their class says: the suite's part ends when its claims are gone. Returns
 * the names of the volumes left so.
 */
export async function deleteTestNamespace(
  kube: Kube,
  name: string,
  timeoutMs = Timeouts.namespaceDeleteMs,
): Promise<string[]> {
  const ns = await kube.core.readNamespace({ name }).catch((e: unknown) => {
    if (notFound(e)) return undefined;
    throw e;
  });
  if (!ns) return [];
  if (ns.metadata?.labels?.[Labels.managedBy] !== managedByValue) {
    throw new Error(`refusing to delete namespace ${name}: it is not labelled ${managedSelector}`);
  }
  await withRetry(() => kube.core.deleteNamespace({ name, propagationPolicy: "Foreground" })).catch((e: unknown) => {
    if (!notFound(e)) throw e;
  });
  await waitFor(kube, {
    watch: watchOf.namespace(kube, name),
    what: `namespace ${name} to be deleted`,
    timeoutMs,
    until: (current) => current.size === 0,
    describe: (current) => [...current.values()].map((n) => `${n.metadata?.name} ${n.status?.phase}`).join(", "),
  });
  const ours = (pv: k8s.V1PersistentVolume) => pv.spec?.claimRef?.namespace === name;
  const retained = (pv: k8s.V1PersistentVolume) => pv.spec?.persistentVolumeReclaimPolicy === "Retain";
  const left = await waitFor(kube, {
    watch: watchOf.volumes(kube),
    what: `the volumes of namespace ${name} to be released`,
    timeoutMs,
    until: (current) => ![...current.values()].some((pv) => ours(pv) && !retained(pv)),
    describe: (current) =>
      [...current.values()]
        .filter(ours)
        .map((pv) => `${pv.metadata?.name} ${pv.status?.phase}`)
        .join(", "),
  });
  return [...left.values()].filter(ours).map((pv) => pv.metadata?.name ?? "");
}
