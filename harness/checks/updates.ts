// The updates family's checks over the timeline: a rolling update's order (G26), and nothing
// replaced by itself under OnDelete or below a partition (G28 G29).
import { ordinalOf, podName } from "../statefulset/naming.js";
import type { TimelineEntry } from "../timeline/entry.js";
import { describePod, replay, setPodGaps, startsTerminating, type CheckResult } from "../timeline/replay.js";
import type { Violation } from "../verdict/violation.js";

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
      ...(inRange.length ? {} : { absence: true as const }),
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
