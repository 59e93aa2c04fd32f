// Replaying a timeline: the pods as they were at each entry, and the watch gaps a check must respect.
import { ordinalOf } from "../statefulset/naming.js";
import type { Violation } from "../verdict/violation.js";
import type { EntryKind, PodSnapshot, TimelineEntry } from "./entry.js";

/**
 * A re-list inside the checked window after which the watched objects were not as before: what
 * happened in between was not seen, so it may hide a violation.
 */
export interface Gap {
  seq: number;
  kind: EntryKind;
  changed: string[];
}

/** What a checker found: violations are BROKEN; gaps without violations leave it inconclusive. */
export interface CheckResult {
  violations: Violation[];
  gaps: Gap[];
}

export function formatGap(g: Gap): string {
  return `watch gap at #${g.seq} (${g.kind}): unseen changes: ${g.changed.join(", ")}`;
}

export const describePod = (p: PodSnapshot) =>
  `${p.name} ${p.phase}${p.ready ? " Ready" : " NotReady"}${p.terminating ? " Terminating" : ""}`;

/**
 * What must differ across a gap for it to have hidden a change: the object's resourceVersion;
 * except for a pod Ready on both sides, not terminating. One with the same uid and the same Ready
 * transition time was Ready throughout and in place (a NotReady spell in between would have moved
 * that time; a replacement, the uid), whatever else was written to it meanwhile: after an API
 * server restart in an upgrade, a kubelet's status sync moved a Ready member's resourceVersion
 * and nothing a check reads.
 */
function continuity(e: TimelineEntry): string | undefined {
  const p = e.pod;
  if (e.kind === "Pod" && p?.ready && !p.terminating && p.readySince) return `Ready since ${p.readySince} as ${p.uid}`;
  return e.resourceVersion;
}

/**
 * The gaps in one stream at or after `fromSeq`: each RELIST, compared with what the stream held
 * before it. Nothing changed (the same objects, each at the same resourceVersion or provably
 * unchanged: see continuity) means nothing that is still there changed, so that gap is left out.
 * An object created and deleted wholly inside the gap leaves no trace in any list, so a check
 * over that window can miss it (a limit of watching; such a gap needs a 410 re-list, which the
 * recorder keeps in the timeline).
 */
export function gapsIn(
  entries: TimelineEntry[],
  kind: EntryKind,
  fromSeq: number,
  belongs: (name: string) => boolean = () => true,
): Gap[] {
  const gaps: Gap[] = [];
  let versions = new Map<string, string | undefined>();
  let open: { gap: Gap; before: Map<string, string | undefined>; after: Map<string, string | undefined> } | undefined;
  const close = () => {
    if (!open) return;
    for (const [name, rv] of open.after)
      if (!open.before.has(name)) open.gap.changed.push(`${name} appeared`);
      else if (open.before.get(name) !== rv) open.gap.changed.push(`${name} changed`);
    for (const name of open.before.keys()) if (!open.after.has(name)) open.gap.changed.push(`${name} vanished`);
    if (open.gap.changed.length > 0 && open.gap.seq >= fromSeq) gaps.push(open.gap);
    versions = open.after;
    open = undefined;
  };
  for (const e of entries) {
    if (e.kind !== kind || ["ERROR", "RESUMED", "RESUME_FAILED", "RELIST_FAILED"].includes(e.type)) continue;
    if (e.type !== "RELIST" && !belongs(e.name)) continue; // a RELIST is named after the stream
    if (open && e.type !== "LISTED") close();
    if (e.type === "RELIST") {
      open = { gap: { seq: e.seq, kind, changed: [] }, before: versions, after: new Map() };
    } else if (open) {
      open.after.set(e.name, continuity(e));
    } else if (e.type === "DELETED") {
      versions.delete(e.name);
    } else {
      versions.set(e.name, continuity(e));
    }
  }
  close();
  return gaps;
}

/** A re-list of one stream (its entry carries the names the fresh list holds). */
export const isRelistOf = (e: TimelineEntry, kind: EntryKind) => e.kind === kind && e.type === "RELIST";

/**
 * Replays the pod entries of one set, keeping the live pods, and calls `visit` with the state
 * before and after each entry at or after `fromSeq` (earlier entries only build the state). A
 * RELIST rebuilds the state from the fresh list: pods missing from it are gone.
 */
export function replay(
  entries: TimelineEntry[],
  set: string,
  fromSeq: number,
  visit: (e: TimelineEntry, ordinal: number, before: Map<string, PodSnapshot>, after: Map<string, PodSnapshot>) => void,
): Map<string, PodSnapshot> {
  let state = new Map<string, PodSnapshot>();
  for (const e of entries) {
    if (isRelistOf(e, "Pod")) {
      const listed = new Set(e.listed ?? []);
      state = new Map([...state].filter(([name]) => listed.has(name)));
      continue;
    }
    if (e.kind !== "Pod" || !e.pod) continue;
    const ordinal = ordinalOf(set, e.name);
    if (ordinal === undefined) continue;
    const before = state;
    state = new Map(state);
    if (e.type === "DELETED") state.delete(e.name);
    else state.set(e.name, e.pod);
    if (e.seq >= fromSeq) visit(e, ordinal, before, state);
  }
  return state;
}

/** The gaps in the pod stream of one set that may hide a change (see gapsIn). */
export const setPodGaps = (entries: TimelineEntry[], set: string, fromSeq: number) =>
  gapsIn(entries, "Pod", fromSeq, (name) => ordinalOf(set, name) !== undefined);

/** The set's live pods at the end of the timeline, by name (a re-list counts as the truth). */
export function livePods(entries: TimelineEntry[], set: string): Map<string, PodSnapshot> {
  return replay(entries, set, Infinity, () => undefined);
}

/** Whether this entry is the moment a pod starts terminating (deletionTimestamp set, or gone at once). */
export function startsTerminating(e: TimelineEntry, was: PodSnapshot | undefined): boolean {
  if (e.type === "ADDED") return false;
  return Boolean((e.pod?.terminating && !was?.terminating) || (e.type === "DELETED" && was && !was.terminating));
}
