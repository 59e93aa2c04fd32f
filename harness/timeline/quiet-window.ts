import type { TimelineEntry } from "./entry.js";
import type { TimelineRecorder } from "./recorder.js";

/**
 * Watches the recorder for `ms` and returns the entries matching `forbidden` that arrived in
 * that window (empty: nothing happened, as required). This is the one deliberate wait: a
 * guarantee that something does NOT happen can only be observed over a window.
 */
export async function quietWindow(
  recorder: TimelineRecorder,
  ms: number,
  forbidden: (e: TimelineEntry) => boolean,
): Promise<TimelineEntry[]> {
  const from = recorder.entries.length;
  await new Promise<void>((resolve) => setTimeout(resolve, ms));
  return recorder.entries.slice(from).filter(forbidden);
}
