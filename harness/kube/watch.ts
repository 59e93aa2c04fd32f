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
  stop(): void;
}

export const objectKey = (o: k8s.KubernetesObject) => `${o.metadata?.namespace ?? ""}/${o.metadata?.name ?? ""}`;

const relistDelayMs = 1000;

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
  const current = new Map<string, T>();
  let stopped = false;
  let abort: AbortController | undefined;
  let lastVersion: string | undefined;
  let first = true;
  let failures = 0; // failed attempts in a row, shown once when they start and once when they end
  let retry: NodeJS.Timeout | undefined;
  // The next attempt after a failure, paced; cancelled by stop() so nothing outlives the watch.
  const later = (attempt: () => void) => {
    if (!stopped) retry = setTimeout(attempt, relistDelayMs);
  };

  const watchFrom = async (version: string | undefined): Promise<void> => {
    const query: Record<string, string | boolean> = { allowWatchBookmarks: true };
    if (version) query.resourceVersion = version;
    if (spec.labelSelector) query.labelSelector = spec.labelSelector;
    if (spec.fieldSelector) query.fieldSelector = spec.fieldSelector;
    let expired = false;
    abort = await new k8s.Watch(kube.kc).watch(
      spec.path,
      query,
      (type: string, obj: T & { code?: number; message?: string }) => {
        if (failures > 0) {
          handlers.onTrouble?.({ kind: "RESUMED", detail: `resumed after ${failures} failed attempt(s)` });
          failures = 0;
        }
        if (type === "ERROR") {
          expired = obj.code === 410;
          handlers.onTrouble?.({ kind: "ERROR", detail: `${obj.code ?? "?"} ${obj.message ?? ""}`.trim() });
          return;
        }
        lastVersion = obj.metadata?.resourceVersion ?? lastVersion;
        if (type === "BOOKMARK") return;
        if (type !== "ADDED" && type !== "MODIFIED" && type !== "DELETED") return;
        if (type === "DELETED") current.delete(objectKey(obj));
        else current.set(objectKey(obj), obj);
        handlers.onEvent(type, obj, current);
      },
      (err?: Error & { statusCode?: number }) => {
        if (stopped) return;
        if (err?.statusCode === 410) handlers.onTrouble?.({ kind: "ERROR", detail: `410 ${err.message}` });
        if (expired || err?.statusCode === 410) return void relist();
        if (!err) {
          handlers.onTrouble?.({ kind: "RESUMED", detail: "the stream ended" });
          return resume();
        }
        // The API server is away: resume at a pace, not in a tight loop, and say so once.
        if (failures++ === 0) handlers.onTrouble?.({ kind: "RESUME_FAILED", detail: `${err.message}; retrying` });
        later(resume);
      },
    );
    // stop() may have come while the request was connecting: it found no stream to abort then.
    if (stopped) abort.abort();
  };

  // Resuming from the last resourceVersion keeps the record whole even across an API server
  // restart, as long as the server can still replay from there; only a 410 forces a re-list.
  const resume = (): void => {
    if (stopped) return;
    watchFrom(lastVersion).catch((e: Error) => {
      handlers.onTrouble?.({ kind: "RESUME_FAILED", detail: e.message });
      later(resume);
    });
  };

  const listAndWatch = async (): Promise<void> => {
    const listed = await withRetry(() => spec.list());
    current.clear();
    for (const item of listed.items) current.set(objectKey(item), item);
    lastVersion = listed.metadata?.resourceVersion;
    failures = 0;
    handlers.onList?.(current, first);
    first = false;
    if (!stopped) await watchFrom(lastVersion);
  };

  const relist = (): void => {
    if (stopped) return;
    listAndWatch().catch((e: Error) => {
      handlers.onTrouble?.({ kind: "RELIST_FAILED", detail: e.message });
      // The API server is away (e.g. restarting): try again shortly, shown in the timeline each time.
      later(relist);
    });
  };

  await listAndWatch();
  return {
    current,
    stop: () => {
      stopped = true;
      clearTimeout(retry);
      abort?.abort();
    },
  };
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
