// How much of a test's time the cluster imposed (pods starting or terminating), for the benchmark.
import type { TimelineEntry } from "./entry.js";

/**
 * The time the cluster itself needed, read from a timeline: the union of every interval in which
 * some pod was starting (created -> first Ready) or terminating (deletion seen -> gone). A test
 * cannot finish faster than this; wall time minus this is the harness's (and cleanup's) share.
 */
export function clusterBoundMs(entries: TimelineEntry[]): number {
  const intervals: [number, number][] = [];
  const startedAt = new Map<string, number>();
  const terminatingAt = new Map<string, number>();
  for (const e of entries) {
    const p = e.pod;
    if (e.kind !== "Pod" || !p) continue;
    if (e.type === "ADDED") startedAt.set(p.uid, e.t);
    const start = startedAt.get(p.uid);
    if (start !== undefined && p.ready) {
      intervals.push([start, e.t]);
      startedAt.delete(p.uid);
    }
    if (p.terminating && !terminatingAt.has(p.uid)) terminatingAt.set(p.uid, e.t);
    if (e.type === "DELETED") {
      intervals.push([terminatingAt.get(p.uid) ?? e.t, e.t]);
      terminatingAt.delete(p.uid);
    }
  }
  intervals.sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [a, b] of intervals) {
    if (b <= end) continue;
    total += b - Math.max(a, end);
    end = b;
  }
  return total;
}
