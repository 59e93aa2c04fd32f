import * as k8s from "@kubernetes/client-node";
import { HarnessError, ExitCode } from "../errors/harness-error.js";
import type { Kube } from "./client.js";

/** A list call's result: the items and the resourceVersion to watch from. */
export interface Listed<T> {
  items: T[];
  metadata?: { resourceVersion?: string };
}

export interface WatchSpec<T extends k8s.KubernetesObject> {
  /** The collection's API path, e.g. /api/v1/namespaces/ns/pods. */
  path: string;
  list: () => Promise<Listed<T>>;
  labelSelector?: string;
  fieldSelector?: string;
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

/** Raised when a wait runs out: says what was awaited and the last state seen. */
export class WaitTimeout extends HarnessError {
  constructor(what: string, timeoutMs: number, lastSeen: string) {
    super(
      `timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}; last seen: ${lastSeen}`,
      ExitCode.GuaranteeBroken,
    );
    this.name = "WaitTimeout";
  }
}

const key = (o: k8s.KubernetesObject) => `${o.metadata?.namespace ?? ""}/${o.metadata?.name ?? ""}`;

/**
 * Lists, then watches from the list's resourceVersion so no change is missed between the two;
 * when the watch ends (expiry, HTTP 410, a dropped connection) it lists and watches again.
 * `onEvent` sees every change with the current set of objects; `onRelist` every fresh list.
 * Returns a stop function.
 */
export async function listWatch<T extends k8s.KubernetesObject>(
  kube: Kube,
  spec: WatchSpec<T>,
  onEvent: (type: WatchEventType, obj: T, current: Map<string, T>) => void,
  onRelist?: (current: Map<string, T>) => void,
): Promise<() => void> {
  const current = new Map<string, T>();
  let stopped = false;
  let abort: AbortController | undefined;

  const start = async (): Promise<void> => {
    const listed = await spec.list();
    current.clear();
    for (const item of listed.items) current.set(key(item), item);
    onRelist?.(current);
    if (stopped) return;
    const query: Record<string, string | boolean> = { allowWatchBookmarks: true };
    if (listed.metadata?.resourceVersion) query.resourceVersion = listed.metadata.resourceVersion;
    if (spec.labelSelector) query.labelSelector = spec.labelSelector;
    if (spec.fieldSelector) query.fieldSelector = spec.fieldSelector;
    abort = await new k8s.Watch(kube.kc).watch(
      spec.path,
      query,
      (type: string, obj: T) => {
        if (type !== "ADDED" && type !== "MODIFIED" && type !== "DELETED") return; // BOOKMARK, ERROR
        if (type === "DELETED") current.delete(key(obj));
        else current.set(key(obj), obj);
        onEvent(type, obj, current);
      },
      () => {
        if (!stopped) restart();
      },
    );
  };
  const restart = () => {
    start().catch(() => {
      if (!stopped) setTimeout(restart, 1000); // API briefly away: retry the list+watch
    });
  };
  await start();
  return () => {
    stopped = true;
    abort?.abort();
  };
}

/**
 * Waits until `check` returns a value (not undefined) for the current set of objects, observing
 * changes through a watch. `describe` renders the last state for the timeout message.
 */
export async function waitFor<T extends k8s.KubernetesObject, R>(
  kube: Kube,
  spec: WatchSpec<T>,
  what: string,
  timeoutMs: number,
  check: (current: Map<string, T>) => R | undefined,
  describe: (current: Map<string, T>) => string = (c) => [...c.keys()].join(", ") || "nothing",
): Promise<R> {
  let stop: (() => void) | undefined;
  let settled = false;
  let timer: NodeJS.Timeout | undefined;
  let latest = new Map<string, T>();
  try {
    return await new Promise<R>((resolve, reject) => {
      const evaluate = (current: Map<string, T>) => {
        latest = current;
        try {
          const r = check(current);
          if (r !== undefined) resolve(r);
        } catch (e) {
          reject(e);
        }
      };
      timer = setTimeout(() => reject(new WaitTimeout(what, timeoutMs, describe(latest))), timeoutMs);
      listWatch(kube, spec, (_t, _o, current) => evaluate(current), evaluate).then((s) => {
        stop = s;
        if (settled) s(); // the condition held at the first list, before the watch was running
      }, reject);
    });
  } finally {
    settled = true;
    clearTimeout(timer);
    stop?.();
  }
}
