// The claims family's checks: a claim deleted only after its pod is gone (G11), and a deleted claim
// created again for its Pending pod (G12).
import { claimPod, ordinalOf } from "../statefulset/naming.js";
import type { TimelineEntry } from "../timeline/entry.js";
import { gapsIn, isRelistOf, setPodGaps, type CheckResult } from "../timeline/replay.js";
import type { Violation } from "../verdict/violation.js";

/**
 * Which moment of a claim's deletion must follow its pod's. On scale-down (whenScaled) the
 * controller makes the pod the claim's owner, so the deletion itself must begin after the pod is
 * gone. On set deletion (whenDeleted) the garbage collector deletes pods and claims together (seen
 * on v1.34); what is promised there is the claim's removal after its pod, which the pvc-protection
 * finalizer provides.
 */
export type ClaimDeletionMoment = "deletion begins" | "removal";

/**
 * Whether `pod` was removed from the store before the claim change `e`, read from the pod's
 * DELETED entry that arrives after `e`: the pod and claim streams are two watches, and their
 * events may arrive out of the store's order (seen: the claim's deletion 1 ms before its pod's
 * DELETED, both from the garbage collector after the pod was gone). Both resourceVersions are
 * revisions of one store, so they order the two changes; without both, nothing is excused.
 */
function podGoneBefore(entries: TimelineEntry[], e: TimelineEntry, pod: string): boolean {
  const after = entries.slice(e.seq + 1);
  const gone = after.find((x) => x.kind === "Pod" && x.name === pod && x.type === "DELETED");
  const [podRv, claimRv] = [Number(gone?.resourceVersion), Number(e.resourceVersion)];
  return Number.isInteger(podRv) && Number.isInteger(claimRv) && podRv < claimRv;
}

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
    if (begins && e.seq >= fromSeq && pods.get(pod) && !podGoneBefore(entries, e, pod)) {
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
 * G12: a claim deleted while its pod is Pending is created again, under the same name, while that
 * same pod (same UID) is still Pending: the controller recreates the claim, not the pod. Judged
 * from `fromSeq` (the claim's deletion).
 */
export function checkClaimRecreated(
  entries: TimelineEntry[],
  claim: string,
  pod: string,
  fromSeq: number,
): CheckResult {
  const window = entries.slice(fromSeq);
  const gone = window.find((e) => e.kind === "PersistentVolumeClaim" && e.name === claim && e.type === "DELETED");
  const back =
    gone &&
    window.find(
      (e) => e.seq > gone.seq && e.kind === "PersistentVolumeClaim" && e.name === claim && e.type === "ADDED",
    );
  const podBefore = entries.slice(0, fromSeq).findLast((e) => e.kind === "Pod" && e.name === pod)?.pod;
  const podAt = (seq: number) => entries.slice(0, seq).findLast((e) => e.kind === "Pod" && e.name === pod);
  const violations: Violation[] = [];
  const violation = (seen: string, seq?: number, absence?: true) =>
    violations.push({
      guarantee: "G12",
      pod,
      expected: `claim ${claim} created again while ${pod} is Pending`,
      seen,
      seq,
      ...(absence ? { absence } : {}),
    });
  if (!podBefore || podBefore.phase !== "Pending")
    violation(`${pod} was not Pending when the claim was deleted`, undefined, true);
  else if (!gone) violation(`${claim} never deleted in the window`, undefined, true);
  else if (!back) violation(`${claim} deleted and not created again`, gone.seq, true);
  else {
    const then = podAt(back.seq);
    if (then?.type === "DELETED" || then?.pod?.uid !== podBefore.uid)
      violation(
        `${pod} replaced (uid ${then?.pod?.uid ?? "gone"}, was ${podBefore.uid}) before the claim came back`,
        back.seq,
      );
  }
  return { violations, gaps: gapsIn(entries, "PersistentVolumeClaim", fromSeq, (n) => n === claim) };
}
