// The recreation check: a pod deleted or failed comes back under its own name, in order (G17 G22).
import type { PodSnapshot, TimelineEntry } from "../timeline/entry.js";
import { gapsIn, type CheckResult } from "../timeline/replay.js";
import type { Violation } from "../verdict/violation.js";

export interface RecreationOptions {
  /** G22: the pod must be seen Failed first (the kubelet failed it), then replaced. */
  failedFirst?: boolean;
  /** G17: the replacement is Ready while this other pod is still not Ready (no deadlock). */
  whileNotReady?: string;
}

const lastOf = (entries: TimelineEntry[], pod: string, beforeSeq: number): PodSnapshot | undefined => {
  const e = entries.slice(0, beforeSeq).findLast((x) => x.kind === "Pod" && x.name === pod);
  return e?.type === "DELETED" ? undefined : e?.pod;
};

/**
 * G17, G22: the pod disturbed at `fromSeq` is replaced by a new pod of the same name (another
 * UID) that becomes Running and Ready; with `failedFirst`, the old one was seen Failed; with
 * `whileNotReady`, the replacement was Ready while that other pod was still not Ready.
 */
export function checkRecreated(
  entries: TimelineEntry[],
  pod: string,
  fromSeq: number,
  guarantee: "G17" | "G22",
  o: RecreationOptions = {},
): CheckResult {
  const violations: Violation[] = [];
  const violation = (expected: string, seen: string, seq?: number, absence?: true) =>
    violations.push({ guarantee, pod, expected, seen, seq, ...(absence ? { absence } : {}) });
  const old = lastOf(entries, pod, fromSeq);
  const window = entries.slice(fromSeq).filter((e) => e.kind === "Pod" && e.name === pod && e.pod);
  const ready = window.find((e) => e.type !== "DELETED" && e.pod?.uid !== old?.uid && e.pod?.ready);
  if (!old) violation(`${pod} present when disturbed`, "absent", undefined, true);
  else if (o.failedFirst && !window.some((e) => e.pod?.uid === old.uid && e.pod.phase === "Failed"))
    violation(`${pod} seen Failed`, `never Failed (uid ${old.uid})`, undefined, true);
  else if (!ready)
    violation(`${pod} replaced under its own name and Ready`, "no new Ready pod of that name", undefined, true);
  else if (o.whileNotReady && lastOf(entries, o.whileNotReady, ready.seq)?.ready !== false)
    violation(
      `${pod} recreated while ${o.whileNotReady} was not Ready (no deadlock)`,
      `${pod} Ready only once ${o.whileNotReady} was Ready`,
      ready.seq,
    );
  return { violations, gaps: gapsIn(entries, "Pod", fromSeq, (n) => n === pod) };
}
