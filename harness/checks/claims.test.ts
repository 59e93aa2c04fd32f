import { describe, expect, test } from "@jest/globals";
import { ready, terminating, timeline, type Step } from "../timeline/hand-made.js";
import { checkClaimDeletedAfterPod, checkClaimRecreated } from "./claims.js";
import type { EntryType, TimelineEntry } from "../timeline/entry.js";

const pod = (seq: number, uid: string, phase = "Pending"): TimelineEntry => ({
  seq,
  t: seq,
  kind: "Pod",
  type: seq === 0 ? "LISTED" : "MODIFIED",
  name: "web-0",
  resourceVersion: String(seq),
  pod: { name: "web-0", uid, phase, ready: false, terminating: false },
});
const claim = (seq: number, type: TimelineEntry["type"]): TimelineEntry => ({
  seq,
  t: seq,
  kind: "PersistentVolumeClaim",
  type,
  name: "data-web-0",
  resourceVersion: String(seq),
  claim: { phase: "Pending", volume: "", terminating: type === "DELETED", owners: [] },
});

describe("G12 claim recreated for a Pending pod", () => {
  test("holds when the claim comes back while the same pod is Pending", () => {
    const t = [pod(0, "a"), claim(1, "LISTED"), claim(2, "DELETED"), claim(3, "ADDED")];
    expect(checkClaimRecreated(t, "data-web-0", "web-0", 2)).toEqual({ violations: [], gaps: [] });
  });

  test("flags a claim that never comes back, and one that comes back only with a new pod", () => {
    const never = [pod(0, "a"), claim(1, "LISTED"), claim(2, "DELETED")];
    expect(checkClaimRecreated(never, "data-web-0", "web-0", 2).violations[0]?.seen).toBe(
      "data-web-0 deleted and not created again",
    );
    const replaced = [pod(0, "a"), claim(1, "LISTED"), claim(2, "DELETED"), pod(3, "b"), claim(4, "ADDED")];
    expect(checkClaimRecreated(replaced, "data-web-0", "web-0", 2).violations).toHaveLength(1);
  });
});

describe("G11 claim deletion begins only after its pod is gone", () => {
  const pods: Step[] = [
    ["LISTED", "web-0", ready],
    ["LISTED", "web-1", ready],
    ["CLAIM", "LISTED", "data-web-0"],
    ["CLAIM", "LISTED", "data-web-1"],
  ];

  test("holds when the claim's deletionTimestamp comes after the pod is gone", () => {
    const good = timeline([
      ...pods,
      ["DELETED", "web-1", terminating],
      ["CLAIM", "MODIFIED", "data-web-1", { terminating: true, owners: ["Pod/web-1"] }],
      ["CLAIM", "DELETED", "data-web-1", { terminating: true }],
    ]);
    expect(checkClaimDeletedAfterPod(good, "web", "data")).toEqual({ violations: [], gaps: [] });
  });

  test("flags a deletionTimestamp set while the pod still exists, even though the finalizer delays removal", () => {
    const bad = timeline([
      ...pods,
      ["CLAIM", "MODIFIED", "data-web-1", { terminating: true }],
      ["MODIFIED", "web-1", terminating],
      ["DELETED", "web-1", terminating],
      ["CLAIM", "DELETED", "data-web-1", { terminating: true }],
    ]);
    const v = checkClaimDeletedAfterPod(bad, "web", "data").violations;
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ guarantee: "G11", pod: "web-1", seq: 4 });
    expect(v[0]?.seen).toContain("deletionTimestamp");
  });

  test("flags a claim removed outright while its pod exists", () => {
    const bad = timeline([...pods, ["CLAIM", "DELETED", "data-web-0"]]);
    expect(checkClaimDeletedAfterPod(bad, "web", "data").violations.map((v) => v.pod)).toEqual(["web-0"]);
  });
});

describe("G11 on set deletion: judged by removal", () => {
  test("a claim whose deletion begins with its pod's but is removed after it holds", () => {
    const t = timeline([
      ["LISTED", "web-0", ready],
      ["CLAIM", "LISTED", "data-web-0", { owners: ["StatefulSet/web"] }],
      ["CLAIM", "MODIFIED", "data-web-0", { terminating: true }],
      ["MODIFIED", "web-0", terminating],
      ["DELETED", "web-0", terminating],
      ["CLAIM", "DELETED", "data-web-0", { terminating: true }],
    ]);
    expect(checkClaimDeletedAfterPod(t, "web", "data", 0, "removal").violations).toEqual([]);
    expect(checkClaimDeletedAfterPod(t, "web", "data", 0, "deletion begins").violations).toHaveLength(1);
  });
  test("a claim removed while its pod exists is flagged", () => {
    const t = timeline([
      ["LISTED", "web-0", ready],
      ["CLAIM", "DELETED", "data-web-0", { terminating: true }],
    ]);
    expect(checkClaimDeletedAfterPod(t, "web", "data", 0, "removal").violations).toHaveLength(1);
  });
});

describe("G11 across two watch streams: judged in the store's order", () => {
  const at = (seq: number, e: Omit<TimelineEntry, "seq" | "t">): TimelineEntry => ({ seq, t: seq, ...e });
  const pod = (type: EntryType, rv: string, terminating = true) => ({
    kind: "Pod" as const,
    type,
    name: "web-2",
    resourceVersion: rv,
    pod: { name: "web-2", uid: "u2", phase: "Succeeded", ready: false, terminating },
  });
  const claimDeleting = (rv: string) => ({
    kind: "PersistentVolumeClaim" as const,
    type: "MODIFIED" as const,
    name: "data-web-2",
    resourceVersion: rv,
    claim: { phase: "Bound", volume: "pv-2", terminating: true, owners: ["Pod/web-2"] },
  });
  test("a claim deletion that arrives before its pod's DELETED but is later in the store holds", () => {
    const t = [at(0, pod("MODIFIED", "100")), at(1, claimDeleting("105")), at(2, pod("DELETED", "104"))];
    expect(checkClaimDeletedAfterPod(t, "web", "data").violations).toEqual([]);
  });
  test("one earlier in the store than the pod's removal, or with the pod never removed, is flagged", () => {
    const early = [at(0, pod("MODIFIED", "100")), at(1, claimDeleting("103")), at(2, pod("DELETED", "104"))];
    expect(checkClaimDeletedAfterPod(early, "web", "data").violations).toHaveLength(1);
    const never = [at(0, pod("MODIFIED", "100")), at(1, claimDeleting("105"))];
    expect(checkClaimDeletedAfterPod(never, "web", "data").violations).toHaveLength(1);
  });
});
