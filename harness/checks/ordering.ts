// The ordering family's checks over the timeline: ordinal names (G1), ordered creation (G13), reverse
// termination on scale-down (G15).
import { ordinalOf, podName } from "../statefulset/naming.js";
import type { TimelineEntry } from "../timeline/entry.js";
import { describePod, gapsIn, replay, setPodGaps, startsTerminating, type CheckResult } from "../timeline/replay.js";
import type { Violation } from "../verdict/violation.js";

/**
 * G13 (OrderedReady creation): a pod is created only when every lower ordinal exists and is
 * Running, Ready and not terminating; and at no moment are two live pods of the set starting (not
 * yet Ready since they were made). A pod that was Ready and lost it in place (its node NotReady,
 * a probe) is the node's or the app's doing, not an order the controller chose. Checked on pods
 * created (watch ADDED) at or after `fromSeq`.
 */
export function checkOrderedCreation(entries: TimelineEntry[], set: string, fromSeq = 0, start = 0): CheckResult {
  const violations: Violation[] = [];
  let unreadyReported = "";
  const wasReady = new Set<string>(); // pods (uids) seen Ready
  replay(entries, set, fromSeq, (e, ordinal, before, after) => {
    for (const p of after.values()) if (p.ready) wasReady.add(p.uid);
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
    const unready = [...after.values()]
      .filter((p) => !p.ready && !p.terminating && !wasReady.has(p.uid))
      .map((p) => p.name);
    const key = unready.sort().join(",");
    if (unready.length > 1 && key !== unreadyReported) {
      violations.push({
        guarantee: "G13",
        pod: key,
        expected: "at most one pod starting (not yet Ready) at any moment",
        seen: `${unready.length} starting at once: ${unready.join(", ")}`,
        seq: e.seq,
      });
    }
    unreadyReported = unready.length > 1 ? key : "";
  });
  return { violations, gaps: setPodGaps(entries, set, fromSeq) };
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
