// Ordering (G1, G2, G13, G15) on hand-made timelines; see timeline/hand-made.ts.
import { describe, expect, test } from "@jest/globals";
import { ready, terminating, timeline, type Step } from "../timeline/hand-made.js";
import { gapsIn, livePods } from "../timeline/replay.js";
import {
  checkOrdinalNames,
  checkOrderedCreation,
  checkReverseTermination,
  creationOrder,
  terminationOrder,
} from "./ordering.js";

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
    expect(checkOrderedCreation(ordered, "web")).toEqual({ violations: [], gaps: [] });
    expect(creationOrder(ordered, "web")).toEqual(["web-0", "web-1", "web-2"]);
  });

  test("flags a pod created before its predecessor is Ready (Parallel)", () => {
    const burst = timeline([
      ["ADDED", "web-0"],
      ["ADDED", "web-1"],
      ["ADDED", "web-2"],
      ["MODIFIED", "web-0", ready],
    ]);
    const v = checkOrderedCreation(burst, "web").violations;
    expect(v.map((x) => x.pod)).toEqual(expect.arrayContaining(["web-1", "web-2"]));
    expect(v.some((x) => x.expected.startsWith("at most one pod starting"))).toBe(true);
  });

  test("members that lose readiness in place (their nodes NotReady) are no creation out of order", () => {
    const inPlace = timeline([
      ["LISTED", "web-0", ready],
      ["LISTED", "web-1", ready],
      ["MODIFIED", "web-0", { phase: "Running", ready: false }],
      ["MODIFIED", "web-1", { phase: "Running", ready: false }],
      ["MODIFIED", "web-0", ready],
      ["MODIFIED", "web-1", ready],
    ]);
    expect(checkOrderedCreation(inPlace, "web")).toEqual({ violations: [], gaps: [] });
  });

  test("flags a pod created while a lower ordinal is terminating", () => {
    const { violations } = checkOrderedCreation(
      timeline([
        ["LISTED", "web-0", ready],
        ["MODIFIED", "web-0", terminating],
        ["ADDED", "web-1"],
      ]),
      "web",
    );
    expect(violations).toHaveLength(1);
    expect(violations[0]?.seen).toContain("Terminating");
  });

  test("ignores pods of other sets and entries before fromSeq", () => {
    const other = timeline([
      ["ADDED", "webx-1"],
      ["ADDED", "web-1"],
      ["LISTED", "web-0", ready],
    ]);
    expect(checkOrderedCreation(other, "web", 2).violations).toEqual([]);
  });

  test("a gap that hides a burst creation is reported as a gap, not a pass", () => {
    // web-1 and web-2 were created while the watch was away: their order cannot be known.
    const hidden = timeline([
      ["ADDED", "web-0"],
      ["MODIFIED", "web-0", ready],
      ["RELIST", ["web-0", "web-1", "web-2"]],
      ["LISTED", "web-0", ready],
      ["LISTED", "web-1", ready],
      ["LISTED", "web-2", ready],
    ]);
    const r = checkOrderedCreation(hidden, "web");
    expect(r.violations).toEqual([]);
    expect(r.gaps).toHaveLength(1);
    expect(r.gaps[0]?.changed).toEqual(["web-1 appeared", "web-2 appeared"]);
  });

  test("a gap across which nothing changed is provably harmless", () => {
    const quiet = timeline([
      ["ADDED", "web-0"],
      ["MODIFIED", "web-0", ready],
      ["RELIST", ["web-0"]],
      ["LISTED", "web-0", ready],
    ]);
    expect(checkOrderedCreation(quiet, "web").gaps).toEqual([]);
  });

  test("a gap before the checked window does not count", () => {
    const before = timeline([
      ["RELIST", ["web-0"]],
      ["LISTED", "web-0", ready],
      ["ADDED", "web-1"],
    ]);
    expect(gapsIn(before, "Pod", 0)).toHaveLength(1);
    expect(checkOrderedCreation(before, "web", 2).gaps).toEqual([]);
  });
});

describe("replay after a re-list", () => {
  test("pods missing from the fresh list are gone", () => {
    const t = timeline([
      ["LISTED", "web-0", ready],
      ["LISTED", "web-1", ready],
      ["RELIST", ["web-0"]],
      ["LISTED", "web-0", ready],
    ]);
    expect([...livePods(t, "web").keys()]).toEqual(["web-0"]);
    expect(gapsIn(t, "Pod", 0)[0]?.changed).toEqual(["web-1 vanished"]);
  });

  test("a predecessor deleted in a gap is no longer Ready for the next creation", () => {
    const t = timeline([
      ["LISTED", "web-0", ready],
      ["RELIST", []],
      ["ADDED", "web-1"],
    ]);
    const r = checkOrderedCreation(t, "web");
    expect(r.violations.map((v) => v.seen)).toEqual(["web-0 absent"]);
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
    expect(checkReverseTermination(good, "web")).toEqual({ violations: [], gaps: [] });
    expect(terminationOrder(good, "web")).toEqual(["web-2", "web-1"]);
  });

  test("an empty recording terminates nothing: the expected order is missing", () => {
    expect(checkReverseTermination([], "web").violations).toEqual([]);
    expect(terminationOrder([], "web")).toEqual([]); // the spec asserts ["web-2", "web-1"]: it fails
  });

  test("flags a lower pod terminating while a higher one still exists", () => {
    const bad = timeline([...start, ["MODIFIED", "web-2", terminating], ["MODIFIED", "web-1", terminating]]);
    const v = checkReverseTermination(bad, "web").violations;
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
    expect(checkReverseTermination(bad, "web").violations.map((x) => x.pod)).toEqual(["web-0", "web-1"]);
    expect(terminationOrder(bad, "web")).toEqual(["web-0", "web-1", "web-2"]);
  });

  test("both gone in a gap: a gap, not a pass", () => {
    const hidden = timeline([...start, ["RELIST", ["web-0"]], ["LISTED", "web-0", ready]]);
    const r = checkReverseTermination(hidden, "web");
    expect(r.violations).toEqual([]);
    expect(r.gaps[0]?.changed).toEqual(["web-1 vanished", "web-2 vanished"]);
  });
});

describe("G1 ordinal naming", () => {
  test("holds for web-0..web-2", () => {
    const t = timeline([
      ["ADDED", "web-0"],
      ["ADDED", "web-1"],
      ["ADDED", "web-2"],
    ]);
    expect(checkOrdinalNames(t, "web", 3)).toEqual({ violations: [], gaps: [] });
  });
  test("flags names a ReplicaSet picks and an ordinal beyond the replicas", () => {
    const t = timeline([
      ["ADDED", "web-5d8f9-x2x7k"],
      ["MODIFIED", "web-5d8f9-x2x7k"],
      ["ADDED", "web-3"],
    ]);
    expect(checkOrdinalNames(t, "web", 3).violations.map((v) => v.pod)).toEqual(["web-5d8f9-x2x7k", "web-3"]);
  });
});

describe("G2 start ordinal", () => {
  const fromFive = timeline([
    ["ADDED", "web-5"],
    ["MODIFIED", "web-5", ready],
    ["ADDED", "web-6"],
    ["MODIFIED", "web-6", ready],
  ]);
  test("names and order are judged from the start ordinal", () => {
    expect(checkOrdinalNames(fromFive, "web", 2, 0, 5)).toEqual({ violations: [], gaps: [] });
    expect(checkOrderedCreation(fromFive, "web", 0, 5)).toEqual({ violations: [], gaps: [] });
  });
  test("pods named from 0 are flagged when the start is 5", () => {
    const fromZero = timeline([["ADDED", "web-0"]]);
    expect(checkOrdinalNames(fromZero, "web", 2, 0, 5).violations[0]).toMatchObject({ guarantee: "G2", pod: "web-0" });
  });
});
