import { describe, expect, test } from "@jest/globals";
import type { EntryType, PodSnapshot, TimelineEntry } from "./entry.js";
import { clusterBoundMs } from "./cluster-time.js";

const e = (t: number, type: EntryType, uid: string, pod: Partial<PodSnapshot> = {}): TimelineEntry => ({
  seq: t,
  t,
  kind: "Pod",
  type,
  name: uid,
  pod: { name: uid, uid, phase: "Running", ready: false, terminating: false, ...pod },
});

describe("cluster-bound time", () => {
  test("serial starts add up; overlapping ones count once; terminations count", () => {
    const entries = [
      e(0, "ADDED", "a"),
      e(1000, "MODIFIED", "a", { ready: true }),
      e(1000, "ADDED", "b"),
      e(2500, "MODIFIED", "b", { ready: true }),
      e(2000, "ADDED", "c"), // overlaps b's start: only 500 ms more
      e(3000, "MODIFIED", "c", { ready: true }),
      e(5000, "MODIFIED", "a", { ready: true, terminating: true }),
      e(5200, "DELETED", "a", { ready: true, terminating: true }),
    ].sort((x, y) => x.t - y.t);
    expect(clusterBoundMs(entries)).toBe(1000 + 1500 + 500 + 200);
  });
  test("no pod activity, no cluster time", () => {
    expect(clusterBoundMs([])).toBe(0);
  });
});
