// The recorder: every watch of a scenario into one ordered timeline, with its gaps, and the barrier
// that makes it match a fresh list before a verdict.
import type * as k8s from "@kubernetes/client-node";
import { Timeouts } from "../config/timeouts.js";
import type { Kube } from "../kube/client.js";
import { withRetry } from "../kube/retry.js";
import { listWatch, objectKey } from "../kube/watch.js";
import { watchOf, type WatchSpec } from "../kube/watch-of.js";
import { Inconclusive } from "../verdict/verdict.js";
import { claimSnapshot, formatEntry, nodeSnapshot, podSnapshot, type EntryKind, type TimelineEntry } from "./entry.js";
import { explainsDeletion } from "./interference.js";
import { reached, type ListedNow } from "./reached.js";

/** One recorded collection: what it is, a fresh list of it, what the watch holds now. */
interface Stream {
  kind: EntryKind;
  what: string;
  list(): Promise<ListedNow>;
  current(): Iterable<k8s.KubernetesObject>;
  /** The resourceVersion of the last event the watch has seen. */
  version(): string | undefined;
  /** The objects the barrier waits for (all of them unless said). */
  awaited?: (o: k8s.KubernetesObject) => boolean;
  stop(): void;
}

/**
 * Records everything that happens to one StatefulSet: its pods, claims, the set itself and the
 * namespace's events, each from a list followed by a watch from the list's resourceVersion.
 * Watch trouble is recorded as it happens; a re-list after an expired watch is marked RELIST,
 * so a gap is visible to the checkers, never silent.
 */
export class TimelineRecorder {
  readonly entries: TimelineEntry[] = [];
  private readonly started = Date.now();
  private streams: Stream[] = [];
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

  /** Milliseconds since the recording started, on the entries' clock. */
  now(): number {
    return Date.now() - this.started;
  }

  private async record<T extends k8s.KubernetesObject>(
    spec: WatchSpec<T>,
    kind: EntryKind,
    item: (o: T) => Partial<TimelineEntry>,
    o: { only?: (type: string, object: T) => boolean; awaited?: (object: T) => boolean } = {},
  ): Promise<void> {
    const name = (o: T) => o.metadata?.name ?? "";
    const only = o.only ?? (() => true);
    const handle = await listWatch(this.kube, spec, {
      onEvent: (type, object) => only(type, object) && this.push(kind, type, name(object), item(object)),
      onList: (current, first) => {
        if (!first) this.push(kind, "RELIST", "(watch expired)", { listed: [...current.values()].map(name) });
        for (const o of current.values()) this.push(kind, "LISTED", name(o), item(o));
      },
      onTrouble: (t) => this.push(kind, t.kind, spec.what, { detail: t.detail }),
    });
    this.streams.push({
      kind,
      what: spec.what,
      list: async () => {
        const listed = await withRetry(() => spec.list());
        return { items: listed.items, version: listed.metadata?.resourceVersion };
      },
      current: () => handle.current.values(),
      version: () => handle.version,
      ...(o.awaited ? { awaited: o.awaited as (object: k8s.KubernetesObject) => boolean } : {}),
      stop: () => handle.stop(),
    });
  }

  async start(): Promise<this> {
    const { kube, namespace: ns } = this;
    const rv = (o: k8s.KubernetesObject) => o.metadata?.resourceVersion;
    await this.record(watchOf.pods(kube, ns, this.selector), "Pod", (p) => ({
      pod: podSnapshot(p),
      resourceVersion: rv(p),
    }));
    await this.record(watchOf.claims(kube, ns), "PersistentVolumeClaim", (c) => ({
      claim: claimSnapshot(c),
      resourceVersion: rv(c),
    }));
    await this.record(watchOf.set(kube, ns, this.setName), "StatefulSet", (s) => ({
      detail: `replicas=${s.spec?.replicas} ready=${s.status?.readyReplicas ?? 0} current=${s.status?.currentReplicas ?? 0} updated=${s.status?.updatedReplicas ?? 0} gen=${s.metadata?.generation}/${s.status?.observedGeneration ?? "-"}`,
      resourceVersion: rv(s),
    }));
    await this.record(
      watchOf.events(kube, ns),
      "Event",
      (e) => ({
        detail: `${e.reason}: ${e.involvedObject.kind}/${e.involvedObject.name}: ${e.message ?? ""}`,
        event: {
          reason: e.reason ?? "",
          object: `${e.involvedObject.kind}/${e.involvedObject.name}`,
          message: e.message ?? "",
          count: e.count ?? e.series?.count ?? 1,
        },
      }),
      {
        // New events; and repeats (the count bumped) of those that explain a deletion, which the
        // barrier also waits for: a verdict must not meet a deletion before its explanation.
        only: (type, e) => type === "ADDED" || (type === "MODIFIED" && explainsDeletion(e.reason ?? "")),
        awaited: (e) => explainsDeletion(e.reason ?? ""),
      },
    );
    return this;
  }

  /**
   * Records the cluster's nodes too (readiness, cordons, kubelet versions), for a timeline that
   * spans node changes (an upgrade); only changes a node's snapshot shows are kept.
   */
  async recordNodes(): Promise<this> {
    const seen = new Map<string, string>();
    await this.record(
      watchOf.nodes(this.kube),
      "Node",
      (n) => ({ node: nodeSnapshot(n), resourceVersion: n.metadata?.resourceVersion }),
      {
        only: (type, n) => {
          const now = type === "DELETED" ? "gone" : JSON.stringify(nodeSnapshot(n));
          const changed = seen.get(n.metadata?.name ?? "") !== now;
          seen.set(n.metadata?.name ?? "", now);
          return changed;
        },
        awaited: () => false, // heartbeats move nodes' versions constantly: the barrier is the pods'
      },
    );
    return this;
  }

  stop(): void {
    for (const s of this.streams) s.stop();
    this.streams = [];
  }

  /**
   * Marks a point in the timeline (the test's own actions), so reports show cause and effect;
   * `deletes` names the pods the action deletes, so their deletion is not taken for interference.
   */
  mark(action: string, deletes?: string[] | "all"): number {
    this.push("Action", "MARK", ">>>", { detail: action, ...(deletes ? { deletes } : {}) });
    return this.entries.length - 1;
  }

  /**
   * Marks the test's action once everything that happened before it is recorded: each stream has
   * reached a fresh list (reached.ts). A wait that saw a state on its own watch (perhaps from
   * another API server) may be ahead of the recorder's; marked at once, the state it waited for
   * would fall after the mark in the timeline. Inconclusive if the recorder cannot reach it. An API
   * server that does not answer the list (the undo of its own restart) changes nothing meanwhile:
   * the mark is made, saying it was not checked, and the verdict's barrier still is.
   */
  async markAction(action: string, deletes?: string[] | "all"): Promise<number> {
    try {
      await this.reach(action);
    } catch (e) {
      if (e instanceof Inconclusive) throw e;
      const why = String((e as Error).message ?? e)
        .split("\n")[0]
        ?.slice(0, 160);
      return this.mark(`${action} (the recording's reach not checked: the API server answered ${why})`, deletes);
    }
    return this.mark(action, deletes);
  }

  /** Returns once every stream has reached a fresh list of the cluster (see markAction). */
  private async reach(action: string): Promise<void> {
    const timeoutMs = Timeouts.recorderCatchUpMs;
    const deadline = Date.now() + timeoutMs;
    for (const stream of this.streams) {
      const listed = await stream.list();
      await this.until(
        deadline,
        () => reached(stream.current(), stream.version(), listed, stream.awaited),
        `the recorded timeline of ${stream.what} did not reach the cluster's state within ${timeoutMs / 1000} s, before: ${action}`,
      );
    }
  }

  /**
   * Returns once `done` holds, asked again at each entry (and each second all the same: a bookmark
   * or an event the timeline leaves out moves no entry); inconclusive, saying `failure`, past `deadline`.
   */
  private async until(deadline: number, done: () => boolean | Promise<boolean>, failure: string): Promise<void> {
    while (!(await done())) {
      if (Date.now() > deadline) throw new Inconclusive(failure);
      await this.nextEntry(Math.min(1000, deadline - Date.now()));
    }
  }

  /** Resolves at the next entry, or after `ms` at the latest. */
  private nextEntry(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== done);
        resolve();
      };
      // eslint-disable-next-line no-restricted-syntax -- the upper bound of waiting for the next entry
      const timer = setTimeout(done, ms);
      this.listeners.push(done);
    });
  }

  /**
   * The barrier before any verdict: returns once every checked stream (pods, claims, the set) holds
   * exactly what a fresh list of the cluster holds, object for object and version for version, so
   * no checker judges a timeline whose tail has not arrived. Inconclusive if it cannot catch up.
   */
  async catchUp(timeoutMs: number = Timeouts.recorderCatchUpMs): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const stream of this.streams) {
      const versions = (objects: Iterable<k8s.KubernetesObject>) =>
        [...objects]
          .filter(stream.awaited ?? (() => true))
          .map((o) => `${objectKey(o)}@${o.metadata?.resourceVersion}`)
          .sort()
          .join(",");
      await this.until(
        deadline,
        async () => versions((await stream.list()).items) === versions(stream.current()),
        `the recorded timeline of ${stream.what} did not catch up with the cluster within ${timeoutMs / 1000} s`,
      );
    }
  }

  toText(entries: TimelineEntry[] = this.entries): string {
    return entries.map(formatEntry).join("\n");
  }
}
