// A test's namespace: made labelled for its run, emptied and deleted whatever happens.
import type * as k8s from "@kubernetes/client-node";
import { Timeouts } from "../config/timeouts.js";
import type { Kube } from "./client.js";
import { Labels, managedByValue, managedSelector, runId } from "./labels.js";
import { withRetry } from "./retry.js";
import { waitFor } from "./watch.js";
import { watchOf, type WatchSpec } from "./watch-of.js";

/** A Kubernetes-safe slug of a test name. */
export function slug(text: string, max = 40): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return s.slice(0, max).replace(/-+$/, "") || "test";
}

/** Creates a namespace labelled as ours (and with `extra` labels), for one test. */
export async function createTestNamespace(
  kube: Kube,
  testName: string,
  extra: Record<string, string> = {},
): Promise<string> {
  const name = `sts-${slug(testName, 40)}-${Math.random().toString(36).slice(2, 7)}`;
  const labels = {
    ...extra,
    [Labels.managedBy]: managedByValue,
    [Labels.run]: runId,
    [Labels.test]: slug(testName, 63),
  };
  await withRetry(async () => {
    try {
      await kube.core.createNamespace({ body: { metadata: { name, labels } } });
    } catch (e) {
      // A retry after a lost response finds the namespace an earlier attempt created: done.
      const existing = (e as { code?: number }).code === 409 && (await kube.core.readNamespace({ name }));
      if (!existing || existing.metadata?.labels?.[Labels.run] !== runId) throw e;
    }
  });
  await defaultServiceAccount(kube, name);
  return name;
}

/**
 * Waits for a new namespace's default ServiceAccount. Pods are refused (403) until it exists,
 * which the controller-manager makes a moment after the namespace; on three control planes just
 * upgraded that moment outlasted a pod's creation. Awaited, as upstream's e2e framework does.
 */
export async function defaultServiceAccount(kube: Kube, namespace: string): Promise<void> {
  await waitFor(kube, {
    what: `the default ServiceAccount of namespace ${namespace}`,
    watch: watchOf.serviceAccount(kube, namespace, "default"),
    until: (current) => current.size > 0,
    timeoutMs: Timeouts.podStartMs,
  });
}

const notFound = (e: unknown) => (e as { code?: number }).code === 404;
const ignoreNotFound = (e: unknown) => {
  if (!notFound(e)) throw e;
};

/**
 * Deletes what holds a namespace up (its workload controllers, pods and claims) ahead of the
 * namespace controller, which starts only after a fixed 5 s grace period and then, finding claims
 * still protected by their pods, requeues for another 8 s. Emptied first, a namespace's pods and
 * claims go in about 2 s.
 */
async function empty(kube: Kube, namespace: string): Promise<void> {
  const background = { namespace, propagationPolicy: "Background" };
  // Controllers first, so that nothing makes the pods again.
  await Promise.all([
    withRetry(() => kube.apps.deleteCollectionNamespacedStatefulSet(background)),
    withRetry(() => kube.apps.deleteCollectionNamespacedDaemonSet(background)),
    withRetry(() => kube.apps.deleteCollectionNamespacedDeployment(background)),
    withRetry(() => kube.apps.deleteCollectionNamespacedReplicaSet(background)),
  ]).catch(ignoreNotFound);
  await Promise.all([
    withRetry(() => kube.core.deleteCollectionNamespacedPod({ namespace })),
    withRetry(() => kube.core.deleteCollectionNamespacedPersistentVolumeClaim({ namespace })),
  ]).catch(ignoreNotFound);
}

/** Reads a namespace, refusing one the suite did not create; undefined when it is gone. */
async function ourNamespace(kube: Kube, name: string): Promise<k8s.V1Namespace | undefined> {
  const ns = await kube.core.readNamespace({ name }).catch((e: unknown) => {
    if (notFound(e)) return undefined;
    throw e;
  });
  if (ns && ns.metadata?.labels?.[Labels.managedBy] !== managedByValue) {
    throw new Error(`refusing to delete namespace ${name}: it is not labelled ${managedSelector}`);
  }
  return ns;
}

export interface ReleaseOptions {
  timeoutMs?: number;
  /**
   * Called once, as soon as the release has made its requests and its waits are watching (from
   * then on an API server restart cannot fail it), and at the latest when it ends: a test stays
   * at the run's gate until then, so that no exclusive test restarts the API server under them.
   */
  requestsDone?: () => Promise<void>;
}

/**
 * Deletes a namespace of ours and waits until what it held is gone: its pods, its claims and the
 * volumes they bound (local-path deletes a PV's data only after the PV object goes). The namespace
 * object itself goes about 5 s later (the namespace controller's grace period); the run's end
 * waits for that (namespacesGone), not each test. Volumes whose reclaim policy is Retain
 * stay, as their class says: the suite's part ends when its claims are gone. Returns the names of
 * the volumes left so.
 */
export async function releaseTestNamespace(kube: Kube, name: string, o: ReleaseOptions = {}): Promise<string[]> {
  const timeoutMs = o.timeoutMs ?? Timeouts.namespaceDeleteMs;
  let done: Promise<void> | undefined;
  const requestsDone = () => (done ??= o.requestsDone?.() ?? Promise.resolve());
  try {
    if (!(await ourNamespace(kube, name))) return [];
    await empty(kube, name);
    await withRetry(() => kube.core.deleteNamespace({ name, propagationPolicy: "Foreground" })).catch(ignoreNotFound);
    let notWatching = 3;
    const onWatching = () => void (--notWatching === 0 && requestsDone());
    const names = (current: Map<string, k8s.KubernetesObject>) =>
      [...current.values()].map((o) => o.metadata?.name).join(", ");
    const gone = (current: Map<string, unknown>) => current.size === 0;
    const ours = (pv: k8s.V1PersistentVolume) => pv.spec?.claimRef?.namespace === name;
    const retained = (pv: k8s.V1PersistentVolume) => pv.spec?.persistentVolumeReclaimPolicy === "Retain";
    const [, , left] = await Promise.all([
      waitFor(kube, {
        watch: watchOf.pods(kube, name),
        what: `the pods of namespace ${name} to be deleted`,
        timeoutMs,
        until: gone,
        describe: names,
        onWatching,
      }),
      waitFor(kube, {
        watch: watchOf.claims(kube, name),
        what: `the claims of namespace ${name} to be deleted`,
        timeoutMs,
        until: gone,
        describe: names,
        onWatching,
      }),
      waitFor(kube, {
        watch: watchOf.volumes(kube),
        what: `the volumes of namespace ${name} to be released`,
        timeoutMs,
        until: (current) => ![...current.values()].some((pv) => ours(pv) && !retained(pv)),
        describe: (current) =>
          [...current.values()]
            .filter(ours)
            .map((pv) => `${pv.metadata?.name} ${pv.status?.phase}`)
            .join(", "),
        onWatching,
      }),
    ]);
    return [...left.values()].filter(ours).map((pv) => pv.metadata?.name ?? "");
  } finally {
    await requestsDone();
  }
}

/** Waits until no namespace `watch` lists is left (each being deleted). */
export async function namespacesGone(
  kube: Kube,
  watch: WatchSpec<k8s.V1Namespace>,
  timeoutMs = Timeouts.namespaceDeleteMs,
): Promise<void> {
  await waitFor(kube, {
    watch,
    what: `${watch.what} to be deleted`,
    timeoutMs,
    until: (current) => current.size === 0,
    describe: (current) => [...current.values()].map((n) => `${n.metadata?.name} ${n.status?.phase}`).join(", "),
  });
}

/** releaseTestNamespace, then waits for the namespace object too: for cleanup that must end clean. */
export async function deleteTestNamespace(
  kube: Kube,
  name: string,
  timeoutMs = Timeouts.namespaceDeleteMs,
): Promise<string[]> {
  const retained = await releaseTestNamespace(kube, name, { timeoutMs });
  await namespacesGone(kube, watchOf.namespace(kube, name), timeoutMs);
  return retained;
}
