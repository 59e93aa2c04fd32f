// Whether a watched collection has reached a fresh list of it: every change the list shows has
// arrived on the watch. Two watches of one collection (a wait's and the recorder's) may be served by
// different API servers, whose watch caches lag apart; an action marked in the timeline before the
// recorder has reached "now" would put what happened before it after it.
import type * as k8s from "@kubernetes/client-node";
import { objectKey } from "../kube/watch.js";

/** What a fresh list said: its objects and the collection's resourceVersion. */
export interface ListedNow {
  items: k8s.KubernetesObject[];
  version: string | undefined;
}

// resourceVersions are etcd revisions; the API calls them opaque, so one that is not a number
// never counts as reached (the caller's timeout then decides) rather than being compared wrongly.
const revision = (v: string | undefined): number => (v && /^\d+$/.test(v) ? Number(v) : Number.NaN);
const rv = (o: k8s.KubernetesObject) => revision(o.metadata?.resourceVersion);

/**
 * True when the watch holding `current`, whose last event was at `lastVersion`, has seen every
 * change `listed` shows: each listed object at its listed version or later (or deleted since, its
 * deletion seen after that version), and each object the watch holds that the list does not either
 * created after the list or its deletion seen. `only` picks the objects that count.
 */
export function reached(
  current: Iterable<k8s.KubernetesObject>,
  lastVersion: string | undefined,
  listed: ListedNow,
  only: (o: k8s.KubernetesObject) => boolean = () => true,
): boolean {
  const held = new Map([...current].filter(only).map((o) => [objectKey(o), o]));
  const last = revision(lastVersion);
  const listedUids = new Set<string | undefined>();
  for (const l of listed.items.filter(only)) {
    listedUids.add(l.metadata?.uid);
    const c = held.get(objectKey(l));
    const same = c?.metadata?.uid === l.metadata?.uid;
    if (c && same && !(rv(c) >= rv(l))) return false; // an older version of it
    if (c && !same && !(rv(c) > rv(l))) return false; // an older object of that name
    if (!c && !(last > rv(l))) return false; // not yet added (a deletion after it would be later)
  }
  const at = revision(listed.version);
  return [...held.values()].every((c) => listedUids.has(c.metadata?.uid) || rv(c) > at);
}
