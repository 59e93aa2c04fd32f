import { claimPod, ordinalOf, podName } from "../statefulset/naming.js";
import type { EntryKind, PodSnapshot, TimelineEntry } from "./entry.js";

/** A guarantee that did not hold: which one, which pod, what was expected, what was seen, when. */
export interface Violation {
  guarantee: string;
  pod: string;
  expected: string;
  seen: string;
  /** The timeline entry at which it was seen; absent for checks of a snapshot (an exec, a lookup). */
  seq?: number;
}

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

export function formatViolation(v: Violation): string {
  const at = v.seq === undefined ? "" : ` at #${v.seq}`;
  return `${v.guarantee} broken${at} for ${v.pod}: expected ${v.expected}; seen ${v.seen}`;
}

export function formatGap(g: Gap): string {
  return `watch gap at #${g.seq} (${g.kind}): unseen changes: ${g.changed.join(", ")}`;
}

export const describePod = (p: PodSnapshot) =>
  `${p.name} ${p.phase}${p.ready ? " Ready" : " NotReady"}${p.terminating ? " Terminating" : ""}`;

/**
 * The gaps in one stream at or after `fromSeq`: each RELIST, compared with what the stream held
 * before it. Nothing changed (same objects at the same resourceVersions) means provably nothing
 * happened in between, so that gap is left out.
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
      open.after.set(e.name, e.resourceVersion);
    } else if (e.type === "DELETED") {
      versions.delete(e.name);
    } else {
      versions.set(e.name, e.resourceVersion);
    }
  }
  close();
  return gaps;
}

/** A re-list of one stream (its entry carries the names the fresh list holds). */
const isRelistOf = (e: TimelineEntry, kind: EntryKind) => e.kind === kind && e.type === "RELIST";

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

/**
 * G13 (OrderedReady creation): a pod is created only when every lower ordinal exists and is
 * Running, Ready and not terminating; and at no moment are two live pods of the set not Ready.
 * Checked on pods created (watch ADDED) at or after `fromSeq`.
 */
export function checkOrderedCreation(entries: TimelineEntry[], set: string, fromSeq = 0, start = 0): CheckResult {
  const violations: Violation[] = [];
  let unreadyReported = "";
  replay(entries, set, fromSeq, (e, ordinal, before, after) => {
    if (e.type === "ADDED") {
      for (let i = start; i < ordinal; i++) {
        const p = before.get(podName(set, i));
        if (!p || !p.ready || p.terminating) {
          violations.push({
            guarantee: "G13",
            pod: e.name,
            expected: `${podName(set, i)} Running and Ready before ${e.name} is created`,
            seen: p ? describePod(p) : `${podName(set, i)} absent`,
            seq: e.seq,
          });
          break;
        }
      }
    }
    const unready = [...after.values()].filter((p) => !p.ready && !p.terminating).map((p) => p.name);
    const key = unready.sort().join(",");
    if (unready.length > 1 && key !== unreadyReported) {
      violations.push({
        guarantee: "G13",
        pod: key,
        expected: "at most one pod not Ready at any moment",
        seen: `${unready.length} not Ready at once: ${unready.join(", ")}`,
        seq: e.seq,
      });
    }
    unreadyReported = unready.length > 1 ? key : "";
  });
  return { violations, gaps: setPodGaps(entries, set, fromSeq) };
}

/** Whether this entry is the moment a pod starts terminating (deletionTimestamp set, or gone at once). */
export function startsTerminating(e: TimelineEntry, was: PodSnapshot | undefined): boolean {
  if (e.type === "ADDED") return false;
  return Boolean((e.pod?.terminating && !was?.terminating) || (e.type === "DELETED" && was && !was.terminating));
}

/**
 * G15 (reverse-order termination): a pod starts terminating only when every higher ordinal is
 * completely gone, so pods go from the highest ordinal down, one at a time.
 */
export function checkReverseTermination(entries: TimelineEntry[], set: string, fromSeq = 0): CheckResult {
  const violations: Violation[] = [];
  replay(entries, set, fromSeq, (e, ordinal, before) => {
    if (!startsTerminating(e, before.get(e.name))) return;
    const higher = [...before.values()].filter((p) => (ordinalOf(set, p.name) ?? -1) > ordinal);
    if (higher.length > 0) {
      violations.push({
        guarantee: "G15",
        pod: e.name,
        expected: `every higher ordinal completely gone before ${e.name} terminates`,
        seen: `still present: ${higher.map(describePod).join(", ")}`,
        seq: e.seq,
      });
    }
  });
  return { violations, gaps: setPodGaps(entries, set, fromSeq) };
}

/**
 * G1 (ordinal naming): every pod the set's selector matches, from `fromSeq` on, is named
 * `<set>-<ordinal>` with an ordinal in 0..replicas-1.
 */
export function checkOrdinalNames(
  entries: TimelineEntry[],
  set: string,
  replicas: number,
  fromSeq = 0,
  start = 0,
): CheckResult {
  const violations: Violation[] = [];
  const reported = new Set<string>();
  for (const e of entries) {
    if (e.kind !== "Pod" || !e.pod || e.seq < fromSeq || e.type === "DELETED" || reported.has(e.name)) continue;
    const ordinal = ordinalOf(set, e.name);
    if (ordinal !== undefined && ordinal >= start && ordinal < start + replicas) continue;
    reported.add(e.name);
    violations.push({
      guarantee: start === 0 ? "G1" : "G2",
      pod: e.name,
      expected: `pods named ${podName(set, start)}..${podName(set, start + replicas - 1)}`,
      seen: e.name,
      seq: e.seq,
    });
  }
  return { violations, gaps: gapsIn(entries, "Pod", fromSeq) };
}

/** The order in which pods were created (watch ADDED) at or after `fromSeq`. */
export function creationOrder(entries: TimelineEntry[], set: string, fromSeq = 0): string[] {
  return entries
    .filter((e) => e.kind === "Pod" && e.type === "ADDED" && e.seq >= fromSeq && ordinalOf(set, e.name) !== undefined)
    .map((e) => e.name);
}

/** The order in which pods started terminating at or after `fromSeq`. */
export function terminationOrder(entries: TimelineEntry[], set: string, fromSeq = 0): string[] {
  const order: string[] = [];
  replay(entries, set, fromSeq, (e, _ordinal, before) => {
    if (startsTerminating(e, before.get(e.name))) order.push(e.name);
  });
  return order;
}

/**
 * Which moment of a claim's deletion must follow its pod's. On scale-down (whenScaled) the
 * controller makes the pod the claim's owner, so the deletion itself must begin after the pod is
 * gone. On set deletion (whenDeleted) the garbage collector deletes pods and claims together (seen
 * on v1.34); what is promised there is the claim's removal after its pod, which the pvc-protection
 * finalizer provides.
 */
export type ClaimDeletionMoment = "deletion begins" | "removal";

/**
 * G11 (retention policy Delete): the deletion of claim `<template>-<set>-N` begins
 * (deletionTimestamp set) only once pod N is gone, so a terminating pod never loses its volume.
 * Judged by the claim's deletionTimestamp, not by its final removal, which the pvc-protection
 * finalizer holds back until the pod is gone whatever the controller did.
 */
export function checkClaimDeletedAfterPod(
  entries: TimelineEntry[],
  set: string,
  template: string,
  fromSeq = 0,
  judgeBy: ClaimDeletionMoment = "deletion begins",
): CheckResult {
  const violations: Violation[] = [];
  const pods = new Map<string, boolean>();
  const deleting = new Set<string>();
  for (const e of entries) {
    if (isRelistOf(e, "Pod")) {
      for (const name of pods.keys()) if (!(e.listed ?? []).includes(name)) pods.set(name, false);
    } else if (e.kind === "Pod" && e.pod && ordinalOf(set, e.name) !== undefined) {
      pods.set(e.name, e.type !== "DELETED");
    }
    if (e.kind !== "PersistentVolumeClaim" || (!e.claim && e.type !== "DELETED")) continue;
    const pod = claimPod(template, set, e.name);
    if (!pod) continue;
    const moment = judgeBy === "deletion begins" ? e.claim?.terminating || e.type === "DELETED" : e.type === "DELETED";
    const begins = moment && !deleting.has(e.name);
    if (moment) deleting.add(e.name);
    else if (e.claim?.terminating)
      continue; // removal pending
    else deleting.delete(e.name); // recreated
    if (begins && e.seq >= fromSeq && pods.get(pod)) {
      violations.push({
        guarantee: "G11",
        pod,
        expected: `the deletion of claim ${e.name} to begin only after ${pod} is gone`,
        seen: `${e.name} ${e.type === "DELETED" ? "deleted" : "given a deletionTimestamp"} while ${pod} still existed${e.claim?.owners.length ? ` (owners ${e.claim.owners.join(", ")})` : ""}`,
        seq: e.seq,
      });
    }
  }
  const claimGaps = gapsIn(entries, "PersistentVolumeClaim", fromSeq, (n) => claimPod(template, set, n) !== undefined);
  return { violations, gaps: [...setPodGaps(entries, set, fromSeq), ...claimGaps] };
}

/**
 * G26/G28 (RollingUpdate with a partition, 0 by default): the old pods at or above the partition
 * are replaced from the highest ordinal down, one at a time: an old pod starts terminating only
 * when every higher ordinal is Running, Ready and at `updateRevision`; no pod below the partition
 * is replaced. Checked from `fromSeq` (the template or partition change) up to `untilSeq`; every
 * old pod at or above the partition must be replaced in the window, or the recording proves nothing.
 */
export function checkRollingUpdate(
  entries: TimelineEntry[],
  set: string,
  replicas: number,
  updateRevision: string,
  fromSeq = 0,
  o: { partition?: number; untilSeq?: number } = {},
): CheckResult {
  const partition = o.partition ?? 0;
  const window = entries.slice(0, o.untilSeq ?? entries.length);
  const violations: Violation[] = [];
  const replaced: string[] = [];
  const atStart = replay(window.slice(0, fromSeq), set, Infinity, () => undefined);
  replay(window, set, fromSeq, (e, ordinal, before) => {
    const was = before.get(e.name);
    if (!startsTerminating(e, was) || was?.revision === updateRevision) return;
    replaced.push(e.name);
    if (ordinal < partition) {
      violations.push({
        guarantee: "G28",
        pod: e.name,
        expected: `no pod below the partition (${partition}) replaced`,
        seen: `${e.name} replaced`,
        seq: e.seq,
      });
      return;
    }
    for (let i = ordinal + 1; i < replicas; i++) {
      const p = before.get(podName(set, i));
      if (!p || !p.ready || p.terminating || p.revision !== updateRevision) {
        violations.push({
          guarantee: "G26",
          pod: e.name,
          expected: `${podName(set, i)} Running, Ready and at revision ${updateRevision} before ${e.name} is replaced`,
          seen: p ? `${describePod(p)} rev=${p.revision ?? "?"}` : `${podName(set, i)} absent`,
          seq: e.seq,
        });
        break;
      }
    }
  });
  const expected = Array.from({ length: replicas - partition }, (_, i) => podName(set, replicas - 1 - i)).filter(
    (name) => atStart.get(name)?.revision !== updateRevision,
  );
  const inRange = replaced.filter((name) => (ordinalOf(set, name) ?? -1) >= partition);
  if (inRange.join(",") !== expected.join(",")) {
    violations.push({
      guarantee: "G26",
      pod: set,
      expected: `old pods replaced in the order ${expected.join(", ") || "(none)"}`,
      seen: inRange.length ? inRange.join(", ") : "no replacement recorded",
    });
  }
  return { violations, gaps: setPodGaps(window, set, fromSeq) };
}

/** What checkNothingReplaced judges, beyond the window's start. */
export interface NothingReplacedOptions {
  /** The guarantee named in a violation (G29 by default). */
  guarantee?: string;
  /** What was expected, in a violation's words. */
  expected?: string;
  /** Pods the controller may replace in the window (G30: the first pod of a halted rollout). */
  except?: string[];
  untilSeq?: number;
}

/**
 * G29 (OnDelete), G30 (a rollout halted by a pod that never becomes Ready): the controller
 * replaces nothing by itself: no pod of the set (but `except`) starts terminating from `fromSeq`
 * on unless an action of the suite deleted it.
 */
export function checkNothingReplaced(
  entries: TimelineEntry[],
  set: string,
  fromSeq = 0,
  o: NothingReplacedOptions = {},
): CheckResult {
  const window = entries.slice(0, o.untilSeq ?? entries.length);
  const violations: Violation[] = [];
  const allowed = new Set(o.except ?? []);
  for (const e of window.slice(fromSeq))
    if (e.type === "MARK" && Array.isArray(e.deletes)) e.deletes.forEach((p) => allowed.add(p));
  replay(window, set, fromSeq, (e, _ordinal, before) => {
    if (!startsTerminating(e, before.get(e.name)) || allowed.has(e.name)) return;
    violations.push({
      guarantee: o.guarantee ?? "G29",
      pod: e.name,
      expected: o.expected ?? "no pod replaced by the controller under OnDelete",
      seen: `${e.name} started terminating`,
      seq: e.seq,
    });
  });
  return { violations, gaps: setPodGaps(window, set, fromSeq) };
}

/** Seconds from one server timestamp to another (1 s resolution each), or undefined if either is unknown. */
export function serverSecondsBetween(from: string | undefined, to: string | undefined): number | undefined {
  const seconds = (Date.parse(to ?? "") - Date.parse(from ?? "")) / 1000;
  return Number.isNaN(seconds) ? undefined : seconds;
}

/**
 * G32 (minReadySeconds under OrderedReady): a pod is created only after its predecessor has been
 * Ready for `minReadySeconds` (Available). Judged on the server's clock: the new pod's
 * creationTimestamp against the predecessor's Ready transition, both of one-second resolution, so
 * one second of slack. Every pod from ordinal 1 to `replicas - 1` must be created in the window.
 */
export function checkMinReadySeconds(
  entries: TimelineEntry[],
  set: string,
  replicas: number,
  minReadySeconds: number,
  fromSeq = 0,
): CheckResult {
  const violations: Violation[] = [];
  const created = new Set<string>();
  replay(entries, set, fromSeq, (e, ordinal, before) => {
    if (e.type !== "ADDED" || ordinal === 0) return;
    created.add(e.name);
    const predecessor = before.get(podName(set, ordinal - 1));
    const waited = serverSecondsBetween(predecessor?.readySince, e.pod?.created);
    if (waited === undefined || waited < minReadySeconds - 1) {
      violations.push({
        guarantee: "G32",
        pod: e.name,
        expected: `created at least ${minReadySeconds} s after ${podName(set, ordinal - 1)} became Ready`,
        seen:
          waited === undefined
            ? `${podName(set, ordinal - 1)} not Ready when ${e.name} was created`
            : `${waited} s after`,
        seq: e.seq,
      });
    }
  });
  for (let i = 1; i < replicas; i++)
    if (!created.has(podName(set, i)))
      violations.push({
        guarantee: "G32",
        pod: podName(set, i),
        expected: "created in the window",
        seen: "not recorded",
      });
  return { violations, gaps: setPodGaps(entries, set, fromSeq) };
}
