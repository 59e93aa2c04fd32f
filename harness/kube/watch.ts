// Watching the cluster: list, then watch from the list's resourceVersion, resumed without a gap where
// the server can replay; and waits that observe instead of sleeping.
import * as k8s from "@kubernetes/client-node";
import { Inconclusive } from "../verdict/verdict.js";
import type { Kube } from "./client.js";
import { withRetry } from "./retry.js";
import type { WatchSpec } from "./watch-of.js";

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

/** Something that interrupted a watch: shown in the timeline, never dropped. */
export interface WatchTrouble {
  /** ERROR: the server sent an error event (e.g. 410 Gone); RESUMED: the stream ended and was
   * resumed from the last resourceVersion (no gap); RESUME_FAILED: resuming failed (the API server is
   * away; tried again); RELIST_FAILED: listing again failed. */
  kind: "ERROR" | "RESUMED" | "RESUME_FAILED" | "RELIST_FAILED";
  detail: string;
}

export interface WatchHandlers<T> {
  onEvent: (type: WatchEventType, obj: T, current: Map<string, T>) => void;
  /** Every (re)list: the first one, and each after the server could not resume the watch (a gap). */
  onList?: (current: Map<string, T>, first: boolean) => void;
  onTrouble?: (t: WatchTrouble) => void;
}

/** A running list+watch: its current objects, and how to stop it. */
export interface WatchHandle<T> {
  readonly current: Map<string, T>;
  /** The resourceVersion of the last event (or list) it has seen. */
  readonly version: string | undefined;
  stop(): void;
}

export const objectKey = (o: k8s.KubernetesObject) => `${o.metadata?.namespace ?? ""}/${o.metadata?.name ?? ""}`;

const relistDelayMs = 1000;

/**
 * A list+watch of one kind of object: the current objects, kept by every event; when the stream
 * ends it resumes from the last resourceVersion seen, and lists again only when the server cannot
 * replay from there (410 Gone).
 */
class ListWatch<T extends k8s.KubernetesObject> implements WatchHandle<T> {
  readonly current = new Map<string, T>();
  private stopped = false;
  private abort: AbortController | undefined;
  private lastVersion: string | undefined;
  private first = true;
  /** Failed attempts in a row, shown once when they start and once when they end. */
  private failures = 0;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly kube: Kube,
    private readonly spec: WatchSpec<T>,
    private readonly handlers: WatchHandlers<T>,
  ) {}

  get version(): string | undefined {
    return this.lastVersion;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    this.abort?.abort();
  }

  /** The next attempt after a failure, paced; cancelled by stop() so nothing outlives the watch. */
  private later(attempt: () => void): void {
    if (!this.stopped) this.retry = setTimeout(attempt, relistDelayMs);
  }

  private trouble(kind: WatchTrouble["kind"], detail: string): void {
    this.handlers.onTrouble?.({ kind, detail });
  }

  /**
   * A failed attempt, shown only when a run of them starts: an outage of hours is one entry and a
   * count (shown when the stream is back), not one entry a second.
   */
  private failed(kind: "RESUME_FAILED" | "RELIST_FAILED", detail: string): void {
    if (this.failures++ === 0) this.trouble(kind, detail);
  }

  private async watchFrom(version: string | undefined): Promise<void> {
    const query: Record<string, string | boolean> = { allowWatchBookmarks: true };
    if (version) query.resourceVersion = version;
    if (this.spec.labelSelector) query.labelSelector = this.spec.labelSelector;
    if (this.spec.fieldSelector) query.fieldSelector = this.spec.fieldSelector;
    const stream = { expired: false };
    this.abort = await new k8s.Watch(this.kube.kc).watch(
      this.spec.path,
      query,
      (type: string, obj: T & { code?: number; message?: string }) => this.onEvent(type, obj, stream),
      (err?: Error & { statusCode?: number }) => this.onDone(stream.expired, err),
    );
    // stop() may have come while the request was connecting: it found no stream to abort then.
    if (this.stopped) this.abort.abort();
  }

  private onEvent(type: string, obj: T & { code?: number; message?: string }, stream: { expired: boolean }): void {
    if (this.failures > 0) {
      this.trouble("RESUMED", `resumed after ${this.failures} failed attempt(s)`);
      this.failures = 0;
    }
    if (type === "ERROR") {
      stream.expired = obj.code === 410;
      this.trouble("ERROR", `${obj.code ?? "?"} ${obj.message ?? ""}`.trim());
      return;
    }
    this.lastVersion = obj.metadata?.resourceVersion ?? this.lastVersion;
    if (type !== "ADDED" && type !== "MODIFIED" && type !== "DELETED") return; // a BOOKMARK moved the version only
    if (type === "DELETED") this.current.delete(objectKey(obj));
    else this.current.set(objectKey(obj), obj);
    this.handlers.onEvent(type, obj, this.current);
  }

  private onDone(expired: boolean, err?: Error & { statusCode?: number }): void {
    if (this.stopped) return;
    if (err?.statusCode === 410) this.trouble("ERROR", `410 ${err.message}`);
    if (expired || err?.statusCode === 410) return void this.relist();
    if (!err) {
      this.trouble("RESUMED", "the stream ended");
      return this.resume();
    }
    // The API server is away: resume at a pace, not in a tight loop
    this.failed("RESUME_FAILED", `${err.message}; retrying`);
    this.later(() => this.resume());
  }

  /**
   * Resuming from the last resourceVersion keeps the record whole even across an API server
   * restart, as long as the server can still replay from there; only a 410 forces a re-list.
   */
  private resume(): void {
    if (this.stopped) return;
    this.watchFrom(this.lastVersion).catch((e: Error) => {
      this.failed("RESUME_FAILED", e.message);
      this.later(() => this.resume());
    });
  }

  async listAndWatch(): Promise<void> {
    const listed = await withRetry(() => this.spec.list());
    this.current.clear();
    for (const item of listed.items) this.current.set(objectKey(item), item);
    this.lastVersion = listed.metadata?.resourceVersion;
    if (this.failures > 0) this.trouble("RESUMED", `listed again after ${this.failures} failed attempt(s)`);
    this.failures = 0;
    this.handlers.onList?.(this.current, this.first);
    this.first = false;
    if (!this.stopped) await this.watchFrom(this.lastVersion);
  }

  private relist(): void {
    if (this.stopped) return;
    this.listAndWatch().catch((e: Error) => {
      this.failed("RELIST_FAILED", e.message);
      // The API server is away (e.g. restarting): try again shortly
      this.later(() => this.relist());
    });
  }
}

/**
 * Lists, then watches from the list's resourceVersion so no change is missed between the two.
 * When the stream ends it resumes from the last resourceVersion seen (the server replays what
 * happened meanwhile: no gap); only when the server cannot (410 Gone) does it list again, which
 * `onList` reports as a possible gap.
 */
export async function listWatch<T extends k8s.KubernetesObject>(
  kube: Kube,
  spec: WatchSpec<T>,
  handlers: WatchHandlers<T>,
): Promise<WatchHandle<T>> {
  const watch = new ListWatch(kube, spec, handlers);
  await watch.listAndWatch();
  return watch;
}

/** Raised when a wait runs out: what was awaited and the last state seen. Inconclusive: a slow
 * cluster and a broken one look alike from here. */
export class WaitTimeout extends Inconclusive {
  constructor(what: string, timeoutMs: number, lastSeen: string) {
    super(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}; last seen: ${lastSeen}`);
  }
}

export interface WaitOptions<T extends k8s.KubernetesObject> {
  /** What to watch (from `watchOf`). */
  watch: WatchSpec<T>;
  /** What is awaited, for the timeout message. */
  what: string;
  /** Holds when the wait is over; sees every object of the collection as it is now. */
  until: (current: Map<string, T>) => boolean;
  timeoutMs: number;
  /** Renders the last state for the timeout message (default: the objects' names). */
  describe?: (current: Map<string, T>) => string;
  /** Called once the watch runs (its first list done): from then on the wait rides out an API server restart. */
  onWatching?: () => void;
}

/** Waits, through a watch, until `until` holds; returns the objects at that moment. */
export async function waitFor<T extends k8s.KubernetesObject>(kube: Kube, o: WaitOptions<T>): Promise<Map<string, T>> {
  const describe = o.describe ?? ((c: Map<string, T>) => [...c.keys()].join(", ") || "nothing");
  let handle: WatchHandle<T> | undefined;
  let settled = false;
  let timer: NodeJS.Timeout | undefined;
  let latest = new Map<string, T>();
  try {
    return await new Promise<Map<string, T>>((resolve, reject) => {
      const evaluate = (current: Map<string, T>) => {
        latest = current;
        try {
          if (o.until(current)) resolve(new Map(current));
        } catch (e) {
          reject(e);
        }
      };
      // eslint-disable-next-line no-restricted-syntax -- the wait's upper bound; the wait itself observes a watch
      timer = setTimeout(() => reject(new WaitTimeout(o.what, o.timeoutMs, describe(latest))), o.timeoutMs);
      listWatch(kube, o.watch, { onEvent: (_t, _o, current) => evaluate(current), onList: evaluate }).then((h) => {
        handle = h;
        o.onWatching?.();
        if (settled) h.stop(); // the condition held at the first list, before the watch was running
      }, reject);
    });
  } finally {
    settled = true;
    clearTimeout(timer);
    handle?.stop();
  }
}
