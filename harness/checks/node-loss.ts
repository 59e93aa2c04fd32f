// The node-loss family's checks over the timeline: no replacement while the old pod's node is
// unreachable (G23), a replacement once the node is tainted out-of-service (G24).
import type { TimelineEntry } from "../timeline/entry.js";
import { gapsIn, type CheckResult } from "../timeline/replay.js";
import type { Violation } from "../verdict/violation.js";

/**
 * G23 at most one pod per identity: while `pod`'s node is unreachable (entries `fromSeq` to
 * `untilSeq`), its pod object is not removed and no pod takes its name. It may be marked for
 * deletion (the taint manager evicts it), but only its kubelet can confirm the containers are
 * gone; removing it without that lets a second copy run beside the first.
 */
export function checkNotReplacedWhileUnreachable(
  entries: TimelineEntry[],
  pod: string,
  fromSeq: number,
  untilSeq: number,
): CheckResult {
  const violations: Violation[] = entries
    .slice(fromSeq, untilSeq)
    .filter((e) => e.kind === "Pod" && e.name === pod && (e.type === "DELETED" || e.type === "ADDED"))
    .map((e) => ({
      guarantee: "G23",
      pod,
      expected: `${pod} kept (at most Terminating) while its node is unreachable`,
      seen:
        e.type === "DELETED"
          ? `${pod} removed (uid ${e.pod?.uid}) without its kubelet's confirmation`
          : `a new ${pod} (uid ${e.pod?.uid}) created while the old one may still run`,
      seq: e.seq,
    }));
  return { violations, gaps: gapsIn(entries.slice(0, untilSeq), "Pod", fromSeq, (n) => n === pod) };
}

/**
 * G24 non-graceful node shutdown: once the node is out of service (entries `fromSeq` to
 * `untilSeq`), the old pod is removed and a pod of the same name created, in that order: the
 * control plane stops waiting for a kubelet that will not answer, and never runs two at once.
 */
export function checkReplacedOutOfService(
  entries: TimelineEntry[],
  pod: string,
  fromSeq: number,
  untilSeq: number,
): CheckResult {
  const own = entries.slice(fromSeq, untilSeq).filter((e) => e.kind === "Pod" && e.name === pod);
  const removed = own.find((e) => e.type === "DELETED");
  const created = own.find((e) => e.type === "ADDED" && e.pod?.uid !== removed?.pod?.uid);
  const expected = `${pod} removed, then created again, once its node is out of service`;
  const seen =
    removed === undefined
      ? `${pod} never removed: the control plane still waits for its node`
      : created === undefined
        ? `${pod} removed (uid ${removed.pod?.uid}) but not created again`
        : created.seq < removed.seq
          ? `a new ${pod} (uid ${created.pod?.uid}) created before the old one was removed`
          : undefined;
  const absent = removed === undefined || created === undefined; // not seen, rather than seen wrong
  const violations: Violation[] =
    seen === undefined
      ? []
      : [
          {
            guarantee: "G24",
            pod,
            expected,
            seen,
            seq: (removed ?? own.at(-1))?.seq,
            ...(absent ? { absence: true as const } : {}),
          },
        ];
  return { violations, gaps: gapsIn(entries.slice(0, untilSeq), "Pod", fromSeq, (n) => n === pod) };
}
