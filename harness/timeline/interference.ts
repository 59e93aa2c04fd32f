// Deletions nobody in the timeline explains (not the suite, not a controller): someone else's doing.
import { ordinalOf } from "../statefulset/naming.js";
import type { PodSnapshot, TimelineEntry } from "./entry.js";
import { startsTerminating } from "./replay.js";

/** A pod of the set deleted by neither the suite nor a controller: someone else was at work. */
export interface OutsideDeletion {
  pod: string;
  seq: number;
  t: number;
}

/**
 * Controllers' events that say they deleted a pod, and how to find the pod's name in them: the
 * StatefulSet controller's own deletions (scale-down, replacing a failed pod, updates), and the
 * node lifecycle controller's evictions from a lost node.
 */
const deletedBy: { reason: string; pod: (e: NonNullable<TimelineEntry["event"]>) => string | undefined }[] = [
  { reason: "SuccessfulDelete", pod: (e) => /delete Pod (\S+) in StatefulSet/.exec(e.message)?.[1] },
  { reason: "TaintManagerEviction", pod: (e) => e.object.replace(/^Pod\//, "") },
];

/** Whether an Event of this reason can explain a pod's deletion (the recorder keeps its repeats too). */
export const explainsDeletion = (reason: string): boolean => deletedBy.some((r) => r.reason === reason);

/**
 * The deletions of the set's pods that nothing in the timeline explains. A deletion (the moment a
 * pod starts terminating, or vanishes at once) is explained by a mark of the suite that deletes
 * it (or every pod), or by a controller's event for it; each explanation counts once, and events
 * may arrive after the deletion they explain.
 */
export function outsideDeletions(entries: TimelineEntry[], set: string): OutsideDeletion[] {
  const pending = new Map<string, number>(); // pod -> explanations not yet used
  const credit = (pod: string, times = 1) => pending.set(pod, (pending.get(pod) ?? 0) + times);
  // A repeated event is one Event whose count goes up (client-go's correlator patches it): each
  // occurrence explains one deletion.
  const counted = new Map<string, number>(); // event name -> occurrences credited
  for (const e of entries) {
    const rule = e.event && deletedBy.find((r) => r.reason === e.event?.reason);
    const pod = rule && e.event ? rule.pod(e.event) : undefined;
    if (!pod || !e.event) continue;
    const before = counted.get(e.name) ?? 0;
    if (e.event.count > before) credit(pod, e.event.count - before);
    counted.set(e.name, Math.max(before, e.event.count));
  }
  const seen = new Map<string, PodSnapshot>();
  let everything = false;
  const outside: OutsideDeletion[] = [];
  for (const e of entries) {
    if (e.type === "MARK" && e.deletes === "all") everything = true;
    else if (e.type === "MARK" && Array.isArray(e.deletes)) e.deletes.forEach((p) => credit(p));
    if (e.kind !== "Pod" || !e.pod || ordinalOf(set, e.name) === undefined) continue;
    const was = seen.get(e.name);
    const starts = startsTerminating(e, was);
    if (e.type === "DELETED") seen.delete(e.name);
    else seen.set(e.name, e.pod);
    if (!starts || everything) continue;
    const left = pending.get(e.name) ?? 0;
    if (left > 0) pending.set(e.name, left - 1);
    else outside.push({ pod: e.name, seq: e.seq, t: e.t });
  }
  return outside;
}

export function formatOutsideDeletion(d: OutsideDeletion): string {
  return `${d.pod} was deleted at #${d.seq} (+${(d.t / 1000).toFixed(3)}s) by neither the suite nor a controller`;
}
