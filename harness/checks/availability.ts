// The availability family's checks: how many members a rollout takes down at once (G31), and
// minReadySeconds between steps (G32), over the recorded timeline.
import { podName } from "../statefulset/naming.js";
import type { PodSnapshot, TimelineEntry } from "../timeline/entry.js";
import { replay, setPodGaps, startsTerminating, type CheckResult } from "../timeline/replay.js";
import type { Violation } from "../verdict/violation.js";

/** A member counts as unavailable while it is missing, not Ready, or terminating. */
export const unavailable = (p: PodSnapshot | undefined) => !p || !p.ready || p.terminating;

/**
 * G31 (RollingUpdate with maxUnavailable): at no moment from `fromSeq` on are more than
 * `maxUnavailable` of the ordinals 0..replicas-1 unavailable; and the rollout does use its
 * allowance: at some moment exactly `maxUnavailable` are (a field accepted but ignored, one pod
 * at a time, is flagged too). Returns the peak with the result, for the report.
 */
export function checkMaxUnavailable(
  entries: TimelineEntry[],
  set: string,
  replicas: number,
  maxUnavailable: number,
  fromSeq = 0,
): CheckResult & { peak: number } {
  const violations: Violation[] = [];
  let peak = 0;
  let exceeded = false;
  replay(entries, set, fromSeq, (e, _ordinal, _before, after) => {
    const down = Array.from({ length: replicas }, (_, i) => podName(set, i)).filter((n) => unavailable(after.get(n)));
    peak = Math.max(peak, down.length);
    if (down.length > maxUnavailable && !exceeded) {
      exceeded = true; // the first moment says it; the rest of the same burst adds nothing
      violations.push({
        guarantee: "G31",
        pod: e.name,
        expected: `at most ${maxUnavailable} of ${replicas} pods unavailable at once`,
        seen: `${down.length} unavailable: ${down.join(", ")}`,
        seq: e.seq,
      });
    }
  });
  if (peak < maxUnavailable)
    violations.push({
      guarantee: "G31",
      pod: set,
      expected: `the rollout takes ${maxUnavailable} pods down at once (maxUnavailable honoured)`,
      seen: `at most ${peak} at once`,
      absence: true, // the moment with more down may be in a gap
    });
  return { violations, gaps: setPodGaps(entries, set, fromSeq), peak };
}

/**
 * G32 during a rollout (OrderedReady, RollingUpdate): an old pod is deleted only once the updated
 * pod above it has been Ready for `minReadySeconds` (Available). Judged as the controller judges it,
 * on the server's clock: the deletion request against the Ready transition of the pod above (both
 * of one-second resolution, so one second of slack). The recorder's clock is only a fallback for a
 * pod gone without a recorded deletion request: under load a Ready transition can arrive seconds
 * after it happened (seen: 3.5 s apart on arrival, 5 s on the server).
 */
export function checkRolloutMinReady(
  entries: TimelineEntry[],
  set: string,
  replicas: number,
  updateRevision: string,
  minReadySeconds: number,
  fromSeq = 0,
): CheckResult {
  const violations: Violation[] = [];
  const readyAt = new Map<string, number>();
  replay(entries, set, fromSeq, (e, ordinal, before, after) => {
    const was = before.get(e.name);
    const now = after.get(e.name);
    if (now?.ready && !was?.ready) readyAt.set(e.name, e.t);
    if (!startsTerminating(e, was) || was?.revision === updateRevision || ordinal + 1 >= replicas) return;
    const above = podName(set, ordinal + 1);
    const since = readyAt.get(above);
    const onArrival = since === undefined ? undefined : (e.t - since) / 1000;
    const waited = serverSecondsBetween(before.get(above)?.readySince, now?.deletionRequested) ?? onArrival;
    if (waited === undefined || waited < minReadySeconds - 1)
      violations.push({
        guarantee: "G32",
        pod: e.name,
        expected: `${e.name} replaced at least ${minReadySeconds} s after the updated ${above} became Ready`,
        seen: waited === undefined ? `${above} not seen becoming Ready` : `${waited.toFixed(1)} s after`,
        seq: e.seq,
      });
  });
  return { violations, gaps: setPodGaps(entries, set, fromSeq) };
}

/** Seconds from one server timestamp to another (1 s resolution each), or undefined if either is unknown. */
function serverSecondsBetween(from: string | undefined, to: string | undefined): number | undefined {
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
        absence: true,
      });
  return { violations, gaps: setPodGaps(entries, set, fromSeq) };
}
