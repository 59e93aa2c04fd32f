import type { TimelineEntry } from "./entry.js";
import { gapsIn, type CheckResult, type Violation } from "./invariants.js";

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
  const violation = (seen: string, seq?: number) =>
    violations.push({
      guarantee: "G12",
      pod,
      expected: `claim ${claim} created again while ${pod} is Pending`,
      seen,
      seq,
    });
  if (!podBefore || podBefore.phase !== "Pending") violation(`${pod} was not Pending when the claim was deleted`);
  else if (!gone) violation(`${claim} never deleted in the window`);
  else if (!back) violation(`${claim} deleted and not created again`, gone.seq);
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
