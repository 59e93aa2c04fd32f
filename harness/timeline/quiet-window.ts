// The only deliberate wait: a window in which nothing may happen, judged over the timeline.
import { Inconclusive } from "../verdict/verdict.js";
import type { EntryKind, TimelineEntry } from "./entry.js";
import type { TimelineRecorder } from "./recorder.js";
import { formatGap, gapsIn } from "./replay.js";

/**
 * Waits until `ms` after the mark `fromSeq` (not after the call), then until the recorder has
 * caught up with the cluster. A plain hold (a fault kept in place); to judge that nothing happened
 * over it, use quietWindow.
 */
export async function holdFrom(recorder: TimelineRecorder, fromSeq: number, ms: number): Promise<void> {
  const start = recorder.entries[fromSeq]?.t ?? recorder.now();
  const left = start + ms - recorder.now();
  // eslint-disable-next-line no-restricted-syntax -- the one deliberate "nothing must happen" window
  if (left > 0) await new Promise<void>((resolve) => setTimeout(resolve, left));
  await recorder.catchUp();
}

/**
 * The one deliberate wait: a guarantee that something does NOT happen can only be observed over
 * a window. The window starts at the action's mark (`fromSeq`), not when this is called, and
 * ends only once the recorder has caught up with the cluster; returns the entries from the mark
 * on that match `forbidden` (empty: nothing happened, as required). A watch gap inside the window
 * that changed something may hide a forbidden change (a pod created in it arrives as LISTED, not
 * ADDED): then nothing can be said, and it is inconclusive.
 */
export async function quietWindow(
  recorder: TimelineRecorder,
  fromSeq: number,
  ms: number,
  forbidden: (e: TimelineEntry) => boolean,
): Promise<TimelineEntry[]> {
  await holdFrom(recorder, fromSeq, ms);
  const window = recorder.entries.slice(fromSeq);
  const relisted = new Set<EntryKind>(window.filter((e) => e.type === "RELIST").map((e) => e.kind));
  const gaps = [...relisted].flatMap((kind) => gapsIn(recorder.entries, kind, fromSeq));
  if (gaps.length > 0)
    throw new Inconclusive(`a watch gap in the quiet window may hide a change: ${gaps.map(formatGap).join("; ")}`);
  return window.filter(forbidden);
}
