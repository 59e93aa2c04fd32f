import type * as k8s from "@kubernetes/client-node";
import type { Kube } from "../kube/client.js";
import { listWatch } from "../kube/watch.js";
import { formatEntry, podSnapshot, type EntryKind, type TimelineEntry } from "./entry.js";

/**
 * Records everything that happens to one StatefulSet: its pods, claims, the set itself and the
 * namespace's events, each from a list followed by a watch from the list's resourceVersion.
 * A watch that ends is re-listed and marked RELIST, so a gap is visible, never silent.
 */
export class TimelineRecorder {
  readonly entries: TimelineEntry[] = [];
  private readonly started = Date.now();
  private stops: (() => void)[] = [];
  private listeners: (() => void)[] = [];

  constructor(
    private readonly kube: Kube,
    readonly namespace: string,
    readonly setName: string,
    private readonly selector: string,
  ) {}

  private push(kind: EntryKind, type: TimelineEntry["type"], name: string, extra: Partial<TimelineEntry> = {}) {
    this.entries.push({ seq: this.entries.length, t: Date.now() - this.started, kind, type, name, ...extra });
    for (const listener of this.listeners) listener();
  }

  /** Calls `listener` after every new entry until the returned function is called. */
  subscribe(listener: () => void): () => void {
    this.listeners.push(listener);
    return () => (this.listeners = this.listeners.filter((l) => l !== listener));
  }

  async start(): Promise<this> {
    const ns = this.namespace;
    const core = this.kube.core;
    const relisted = <T extends k8s.KubernetesObject>(kind: EntryKind, item: (o: T) => Partial<TimelineEntry>) => {
      let first = true;
      return (current: Map<string, T>) => {
        if (!first) this.push(kind, "RELIST", "(watch restarted)");
        first = false;
        for (const o of current.values()) this.push(kind, "LISTED", o.metadata?.name ?? "", item(o));
      };
    };
    const podItem = (p: k8s.V1Pod) => ({ pod: podSnapshot(p), resourceVersion: p.metadata?.resourceVersion });
    this.stops.push(
      await listWatch<k8s.V1Pod>(
        this.kube,
        {
          path: `/api/v1/namespaces/${ns}/pods`,
          list: () => core.listNamespacedPod({ namespace: ns, labelSelector: this.selector }),
          labelSelector: this.selector,
        },
        (type, p) => this.push("Pod", type, p.metadata?.name ?? "", podItem(p)),
        relisted("Pod", podItem),
      ),
    );
    const pvcItem = (c: k8s.V1PersistentVolumeClaim) => ({
      detail: `${c.status?.phase ?? "?"} volume=${c.spec?.volumeName ?? "-"}${c.metadata?.deletionTimestamp ? " Terminating" : ""}`,
      resourceVersion: c.metadata?.resourceVersion,
    });
    this.stops.push(
      await listWatch<k8s.V1PersistentVolumeClaim>(
        this.kube,
        {
          path: `/api/v1/namespaces/${ns}/persistentvolumeclaims`,
          list: () => core.listNamespacedPersistentVolumeClaim({ namespace: ns }),
        },
        (type, c) => this.push("PersistentVolumeClaim", type, c.metadata?.name ?? "", pvcItem(c)),
        relisted("PersistentVolumeClaim", pvcItem),
      ),
    );
    const setItem = (s: k8s.V1StatefulSet) => ({
      detail: `replicas=${s.spec?.replicas} ready=${s.status?.readyReplicas ?? 0} current=${s.status?.currentReplicas ?? 0} updated=${s.status?.updatedReplicas ?? 0} gen=${s.metadata?.generation}/${s.status?.observedGeneration ?? "-"}`,
      resourceVersion: s.metadata?.resourceVersion,
    });
    const byName = `metadata.name=${this.setName}`;
    this.stops.push(
      await listWatch<k8s.V1StatefulSet>(
        this.kube,
        {
          path: `/apis/apps/v1/namespaces/${ns}/statefulsets`,
          list: () => this.kube.apps.listNamespacedStatefulSet({ namespace: ns, fieldSelector: byName }),
          fieldSelector: byName,
        },
        (type, s) => this.push("StatefulSet", type, s.metadata?.name ?? "", setItem(s)),
        relisted("StatefulSet", setItem),
      ),
    );
    const eventItem = (e: k8s.CoreV1Event) => ({
      detail: `${e.reason}: ${e.involvedObject.kind}/${e.involvedObject.name}: ${e.message ?? ""}`,
    });
    this.stops.push(
      await listWatch<k8s.CoreV1Event>(
        this.kube,
        { path: `/api/v1/namespaces/${ns}/events`, list: () => core.listNamespacedEvent({ namespace: ns }) },
        (type, e) => type === "ADDED" && this.push("Event", type, e.metadata?.name ?? "", eventItem(e)),
        relisted("Event", eventItem),
      ),
    );
    return this;
  }

  stop(): void {
    for (const stop of this.stops) stop();
    this.stops = [];
  }

  /** Pod entries only, in order: what the invariant checkers read. */
  podEntries(): TimelineEntry[] {
    return this.entries.filter((e) => e.kind === "Pod");
  }

  /** Marks a point in the timeline (the test's own actions), so reports show cause and effect. */
  mark(action: string): number {
    this.push("Action", "MARK", ">>>", { detail: action });
    return this.entries.length - 1;
  }

  toText(entries: TimelineEntry[] = this.entries): string {
    return entries.map(formatEntry).join("\n");
  }
}
