import { podName } from "../statefulset/naming.js";
import type { PodSnapshot } from "./entry.js";
import type { TimelineEntry } from "./entry.js";
import { replay, setPodGaps, type CheckResult, type Violation } from "./invariants.js";

/** A member counts as unavailable while it is missing, not Ready, or terminating. */
const unavailable = (p: PodSnapshot | undefined) => !p || !p.ready || p.terminating;

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
    });
  return { violations, gaps: setPodGaps(entries, set, fromSeq), peak };
}
