import { ordinalOf, podName } from "../../fixtures/web-statefulset.js";
import type { PodSnapshot, TimelineEntry } from "./entry.js";

/** A guarantee that did not hold: which one, which pod, what was expected, what was seen, when. */
export interface Violation {
  guarantee: string;
  pod: string;
  expected: string;
  seen: string;
  /** The timeline entry at which it was seen. */
  seq: number;
}

export function formatViolation(v: Violation): string {
  return `${v.guarantee} broken at #${v.seq} for ${v.pod}: expected ${v.expected}; seen ${v.seen}`;
}

const describePod = (p: PodSnapshot) =>
  `${p.name} ${p.phase}${p.ready ? " Ready" : " NotReady"}${p.terminating ? " Terminating" : ""}`;

/**
 * Replays the pod entries of one set, keeping the live pods, and calls `visit` with the state
 * before and after each entry at or after `fromSeq` (earlier entries only build the state).
 */
function replay(
  entries: TimelineEntry[],
  set: string,
  fromSeq: number,
  visit: (e: TimelineEntry, ordinal: number, before: Map<string, PodSnapshot>, after: Map<string, PodSnapshot>) => void,
): void {
  let state = new Map<string, PodSnapshot>();
  for (const e of entries) {
    if (e.kind !== "Pod" || !e.pod) continue;
    const ordinal = ordinalOf(set, e.name);
    if (ordinal === undefined) continue;
    const before = state;
    state = new Map(state);
    if (e.type === "DELETED") state.delete(e.name);
    else state.set(e.name, e.pod);
    if (e.seq >= fromSeq) visit(e, ordinal, before, state);
  }
}

/**
 * G13 (OrderedReady creation): a pod is created only when every lower ordinal exists and is
 * Running, Ready and not terminating; and at no moment are two live pods of the set not Ready.
 * Checked on pods created (watch ADDED) at or after `fromSeq`.
 */
export function checkOrderedCreation(entries: TimelineEntry[], set: string, fromSeq = 0): Violation[] {
  const violations: Violation[] = [];
  let unreadyReported = "";
  replay(entries, set, fromSeq, (e, ordinal, before, after) => {
    if (e.type === "ADDED") {
      for (let i = 0; i < ordinal; i++) {
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
  return violations;
}

/**
 * G15 (reverse-order termination): a pod starts terminating only when every higher ordinal is
 * completely gone, so pods go from the highest ordinal down, one at a time.
 */
export function checkReverseTermination(entries: TimelineEntry[], set: string, fromSeq = 0): Violation[] {
  const violations: Violation[] = [];
  replay(entries, set, fromSeq, (e, ordinal, before) => {
    const was = before.get(e.name);
    const startsTerminating =
      (e.pod?.terminating && !was?.terminating) || (e.type === "DELETED" && was && !was.terminating);
    if (!startsTerminating || e.type === "ADDED") return;
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
  return violations;
}

/** The order in which pods were created (watch ADDED) at or after `fromSeq`. */
export function creationOrder(entries: TimelineEntry[], set: string, fromSeq = 0): string[] {
  return entries
    .filter((e) => e.kind === "Pod" && e.type === "ADDED" && e.seq >= fromSeq && ordinalOf(set, e.name) !== undefined)
    .map((e) => e.name);
}

/**
 * G11 (retention policy Delete): a claim `<template>-<set>-N` is deleted only once pod N is gone,
 * so a terminating pod never loses its volume under it.
 */
export function checkClaimDeletedAfterPod(
  entries: TimelineEntry[],
  set: string,
  template: string,
  fromSeq = 0,
): Violation[] {
  const violations: Violation[] = [];
  const livePods = new Map<string, boolean>();
  for (const e of entries) {
    if (e.kind === "Pod" && ordinalOf(set, e.name) !== undefined) livePods.set(e.name, e.type !== "DELETED");
    if (e.kind !== "PersistentVolumeClaim" || e.type !== "DELETED" || e.seq < fromSeq) continue;
    const pod = e.name.startsWith(`${template}-`) ? e.name.slice(template.length + 1) : undefined;
    if (pod && ordinalOf(set, pod) !== undefined && livePods.get(pod)) {
      violations.push({
        guarantee: "G11",
        pod,
        expected: `claim ${e.name} deleted only after ${pod} is gone`,
        seen: `${e.name} deleted while ${pod} still existed`,
        seq: e.seq,
      });
    }
  }
  return violations;
}
