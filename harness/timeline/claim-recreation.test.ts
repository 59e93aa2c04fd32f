import { describe, expect, test } from "@jest/globals";
import { checkClaimRecreated } from "./claim-recreation.js";
import type { TimelineEntry } from "./entry.js";

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
