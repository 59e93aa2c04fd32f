// Rolling updates (G26, G28, G29, G30) on hand-made timelines; see timeline/hand-made.ts.
import { describe, expect, test } from "@jest/globals";
import type { PodSnapshot, TimelineEntry } from "../timeline/entry.js";
import { ready, terminating, timeline, type Step } from "../timeline/hand-made.js";
import { checkNothingReplaced, checkRollingUpdate } from "./updates.js";

describe("G26 rolling update", () => {
  const old: Partial<PodSnapshot> = { ...ready, revision: "v1" };
  const fresh: Partial<PodSnapshot> = { ...ready, revision: "v2" };
  const before: Step[] = [
    ["LISTED", "web-0", old],
    ["LISTED", "web-1", old],
    ["LISTED", "web-2", old],
  ];
  /** Replaces one old pod: terminating, gone, back at v2 and Ready. */
  const replace = (name: string): Step[] => [
    ["MODIFIED", name, { ...old, terminating: true }],
    ["DELETED", name, { ...old, terminating: true }],
    ["ADDED", name, { revision: "v2" }],
    ["MODIFIED", name, fresh],
  ];

  test("holds for web-2, web-1, web-0, each after the one above is Ready at the new revision", () => {
    const t = timeline([...before, ...replace("web-2"), ...replace("web-1"), ...replace("web-0")]);
    expect(checkRollingUpdate(t, "web", 3, "v2")).toEqual({ violations: [], gaps: [] });
  });

  test("flags ascending replacement (an OnDelete set deleted from web-0 up)", () => {
    const t = timeline([...before, ...replace("web-0"), ...replace("web-1"), ...replace("web-2")]);
    const v = checkRollingUpdate(t, "web", 3, "v2").violations;
    expect(v[0]).toMatchObject({ guarantee: "G26", pod: "web-0" });
    expect(v.at(-1)?.seen).toBe("web-0, web-1, web-2");
  });

  test("flags a pod replaced while the one above is not Ready yet", () => {
    const t = timeline([
      ...before,
      ...replace("web-2").slice(0, 3), // web-2 back at v2 but not Ready
      ["MODIFIED", "web-1", { ...old, terminating: true }],
      ["MODIFIED", "web-2", fresh],
    ]);
    expect(checkRollingUpdate(t, "web", 3, "v2").violations[0]).toMatchObject({ pod: "web-1" });
  });

  test("an empty or partial recording does not pass", () => {
    expect(checkRollingUpdate(timeline(before), "web", 3, "v2").violations).toHaveLength(1);
  });

  test("G28: with partition 2 only web-2 is replaced; a pod below the partition replaced is flagged", () => {
    const canary = timeline([...before, ...replace("web-2")]);
    expect(checkRollingUpdate(canary, "web", 3, "v2", 0, { partition: 2 })).toEqual({ violations: [], gaps: [] });
    const full = timeline([...before, ...replace("web-2"), ...replace("web-1"), ...replace("web-0")]);
    const v = checkRollingUpdate(full, "web", 3, "v2", 0, { partition: 2 }).violations;
    expect(v.map((x) => `${x.guarantee} ${x.pod}`)).toEqual(["G28 web-1", "G28 web-0"]);
  });

  test("only the pods still old when the window opens are expected (a phased rollout's next step)", () => {
    const t = timeline([...before, ...replace("web-2"), ...replace("web-1"), ...replace("web-0")]);
    const nextStep = 4 + 3; // after web-2 was replaced (3 listed + 4 steps)
    expect(checkRollingUpdate(t, "web", 3, "v2", nextStep)).toEqual({ violations: [], gaps: [] });
  });
});

describe("G29 OnDelete", () => {
  test("holds while nothing is replaced, and for a pod the suite deleted; flags a replacement by the controller", () => {
    const t = timeline([
      ["LISTED", "web-0", ready],
      ["LISTED", "web-1", ready],
      ["MODIFIED", "web-1", terminating],
    ]);
    expect(checkNothingReplaced(t, "web").violations.map((v) => v.pod)).toEqual(["web-1"]);
    const marked: TimelineEntry = { seq: 3, t: 300, kind: "Action", type: "MARK", name: ">>>", deletes: ["web-0"] };
    const byTheSuite = [...timeline([["LISTED", "web-0", ready]]), { ...marked, seq: 1 }];
    byTheSuite.push({
      ...byTheSuite[0],
      seq: 2,
      type: "MODIFIED",
      pod: { ...byTheSuite[0]?.pod, terminating: true },
    } as TimelineEntry);
    expect(checkNothingReplaced(byTheSuite, "web")).toEqual({ violations: [], gaps: [] });
  });
});

describe("G30 a rollout halted by a pod that never becomes Ready", () => {
  test("the stuck top pod may be replaced; any other replacement is flagged under G30", () => {
    const t = timeline([
      ["LISTED", "web-0", ready],
      ["LISTED", "web-1", ready],
      ["LISTED", "web-2", ready],
      ["MODIFIED", "web-2", terminating],
      ["DELETED", "web-2", terminating],
      ["ADDED", "web-2", { revision: "bad" }],
    ]);
    const halted = { guarantee: "G30", except: ["web-2"] };
    expect(checkNothingReplaced(t, "web", 0, halted)).toEqual({ violations: [], gaps: [] });
    const went = timeline([
      ["LISTED", "web-1", ready],
      ["LISTED", "web-2", { phase: "Running", revision: "bad" }],
      ["MODIFIED", "web-1", terminating],
    ]);
    const v = checkNothingReplaced(went, "web", 0, halted).violations;
    expect(v.map((x) => `${x.guarantee} ${x.pod}`)).toEqual(["G30 web-1"]);
  });
});
