// Hand-made timelines, good and bad, for every invariant: each checker must pass the good one
// and flag the bad one (the same negative-control rule as on the real cluster).
import { describe, expect, test } from "@jest/globals";
import type { EntryType, PodSnapshot, TimelineEntry } from "./entry.js";
import {
  checkClaimDeletedAfterPod,
  checkOrderedCreation,
  checkReverseTermination,
  creationOrder,
} from "./invariants.js";

type Step = [EntryType, string, Partial<PodSnapshot>?];

function timeline(steps: Step[]): TimelineEntry[] {
  return steps.map(([type, name, pod], seq) => ({
    seq,
    t: seq * 100,
    kind: "Pod",
    type,
    name,
    pod: { name, uid: `${name}-uid`, phase: "Pending", ready: false, terminating: false, ...pod },
  }));
}
const ready: Partial<PodSnapshot> = { phase: "Running", ready: true };
const terminating: Partial<PodSnapshot> = { phase: "Running", ready: true, terminating: true };

describe("G13 ordered creation", () => {
  const ordered = timeline([
    ["ADDED", "web-0"],
    ["MODIFIED", "web-0", ready],
    ["ADDED", "web-1"],
    ["MODIFIED", "web-1", ready],
    ["ADDED", "web-2"],
    ["MODIFIED", "web-2", ready],
  ]);

  test("holds for one-at-a-time creation after the predecessor is Ready", () => {
    expect(checkOrderedCreation(ordered, "web")).toEqual([]);
    expect(creationOrder(ordered, "web")).toEqual(["web-0", "web-1", "web-2"]);
  });

  test("flags a pod created before its predecessor is Ready (Parallel)", () => {
    const burst = timeline([
      ["ADDED", "web-0"],
      ["ADDED", "web-1"],
      ["ADDED", "web-2"],
      ["MODIFIED", "web-0", ready],
    ]);
    const v = checkOrderedCreation(burst, "web");
    expect(v.map((x) => x.pod)).toEqual(expect.arrayContaining(["web-1", "web-2"]));
    expect(v.some((x) => x.expected.startsWith("at most one pod not Ready"))).toBe(true);
  });

  test("flags a pod created while a lower ordinal is terminating", () => {
    const v = checkOrderedCreation(
      timeline([
        ["LISTED", "web-0", ready],
        ["MODIFIED", "web-0", terminating],
        ["ADDED", "web-1"],
      ]),
      "web",
    );
    expect(v).toHaveLength(1);
    expect(v[0]?.seen).toContain("Terminating");
  });

  test("ignores pods of other sets and entries before fromSeq", () => {
    const other = timeline([
      ["ADDED", "webx-1"],
      ["ADDED", "web-1"],
      ["LISTED", "web-0", ready],
    ]);
    expect(checkOrderedCreation(other, "web", 2)).toEqual([]);
  });
});

describe("G15 reverse-order termination", () => {
  const start: Step[] = [
    ["LISTED", "web-0", ready],
    ["LISTED", "web-1", ready],
    ["LISTED", "web-2", ready],
  ];

  test("holds when each pod terminates only after the higher one is gone", () => {
    const good = timeline([
      ...start,
      ["MODIFIED", "web-2", terminating],
      ["DELETED", "web-2", terminating],
      ["MODIFIED", "web-1", terminating],
      ["DELETED", "web-1", terminating],
    ]);
    expect(checkReverseTermination(good, "web")).toEqual([]);
  });

  test("flags a lower pod terminating while a higher one still exists", () => {
    const bad = timeline([...start, ["MODIFIED", "web-2", terminating], ["MODIFIED", "web-1", terminating]]);
    const v = checkReverseTermination(bad, "web");
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ guarantee: "G15", pod: "web-1" });
    expect(v[0]?.seen).toContain("web-2");
  });

  test("flags deletion in ascending order", () => {
    const bad = timeline([
      ...start,
      ["DELETED", "web-0", ready],
      ["DELETED", "web-1", ready],
      ["DELETED", "web-2", ready],
    ]);
    expect(checkReverseTermination(bad, "web").map((x) => x.pod)).toEqual(["web-0", "web-1"]);
  });
});

describe("G11 claim deleted only after its pod", () => {
  const claimDeleted = (seq: number, name: string): TimelineEntry => ({
    seq,
    t: seq * 100,
    kind: "PersistentVolumeClaim",
    type: "DELETED",
    name,
  });
  const pods = timeline([
    ["LISTED", "web-0", ready],
    ["LISTED", "web-1", ready],
    ["DELETED", "web-1", terminating],
  ]);

  test("holds when the claim goes after the pod", () => {
    expect(checkClaimDeletedAfterPod([...pods, claimDeleted(3, "data-web-1")], "web", "data")).toEqual([]);
  });

  test("flags a claim deleted while its pod still exists", () => {
    const v = checkClaimDeletedAfterPod([...pods, claimDeleted(3, "data-web-0")], "web", "data");
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ guarantee: "G11", pod: "web-0" });
  });
});
