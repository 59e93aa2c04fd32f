import type { TimelineEntry } from "./entry.js";
import type { TimelineRecorder } from "./recorder.js";

/**
 * The one deliberate wait: a guarantee that something does NOT happen can only be observed over
 * a window. The window starts at the action's mark (`fromSeq`), not when this is called, and
 * ends only once the recorder has caught up with the cluster; returns the entries from the mark
 * on that match `forbidden` (empty: nothing happened, as required).
 */
export async function quietWindow(
  recorder: TimelineRecorder,
  fromSeq: number,
  ms: number,
  forbidden: (e: TimelineEntry) => boolean,
): Promise<TimelineEntry[]> {
  const start = recorder.entries[fromSeq]?.t ?? recorder.now();
  const left = start + ms - recorder.now();
  // eslint-disable-next-line no-restricted-syntax -- the one deliberate "nothing must happen" window
  if (left > 0) await new Promise<void>((resolve) => setTimeout(resolve, left));
  await recorder.catchUp();
  return recorder.entries.slice(fromSeq).filter(forbidden);
}
