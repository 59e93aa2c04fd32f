import { describe, expect, test } from "@jest/globals";
import type * as k8s from "@kubernetes/client-node";
import { podSnapshot, type PodSnapshot } from "./entry.js";
import { ready, timeline } from "./hand-made.js";
import { gapsIn } from "./replay.js";

/** web-0 listed, then re-listed after a gap, written to meanwhile (another resourceVersion) as `after` says. */
function writtenInGap(before: Partial<PodSnapshot>, after: Partial<PodSnapshot>) {
  const t = timeline([
    ["LISTED", "web-0", before],
    ["RELIST", ["web-0"]],
    ["LISTED", "web-0", after],
  ]);
  const relisted = t[2];
  if (relisted) relisted.resourceVersion = "written-in-the-gap";
  return gapsIn(t, "Pod", 0).flatMap((g) => g.changed);
}

describe("a watch gap across which a pod was written to", () => {
  const since = { ...ready, readySince: "2026-12-05T13:22:51Z" };

  test("a pod Ready on both sides, same uid and Ready transition time, was Ready throughout: no gap", () => {
    expect(writtenInGap(since, since)).toEqual([]);
  });

  test("a moved Ready transition (a NotReady spell in the gap), another uid, or terminating is a gap", () => {
    expect(writtenInGap(since, { ...since, readySince: "2026-12-05T13:25:00Z" })).toEqual(["web-0 changed"]);
    expect(writtenInGap(since, { ...since, uid: "another" })).toEqual(["web-0 changed"]);
    expect(writtenInGap(since, { ...since, terminating: true })).toEqual(["web-0 changed"]);
  });

  test("a pod not Ready on both sides proves nothing by its fields: its resourceVersion decides", () => {
    expect(writtenInGap({ phase: "Pending" }, { phase: "Pending" })).toEqual(["web-0 changed"]);
    expect(writtenInGap(ready, ready)).toEqual(["web-0 changed"]); // no Ready transition time known
  });
});

test("a pod's Ready time reads the same from a list (a Date) and from a watch event (its string)", () => {
  const pod = (lastTransitionTime: unknown): k8s.V1Pod => ({
    metadata: { name: "web-0", uid: "u" },
    status: {
      phase: "Running",
      conditions: [{ type: "Ready", status: "True", lastTransitionTime: lastTransitionTime as Date }],
    },
  });
  const listed = podSnapshot(pod(new Date("2026-12-05T13:22:55Z")));
  const watched = podSnapshot(pod("2026-12-05T13:22:55Z"));
  expect(listed.readySince).toBe("2026-12-05T13:22:55.000Z");
  expect(watched.readySince).toBe(listed.readySince);
});
