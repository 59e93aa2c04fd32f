// Hand-made timelines, good and bad, for every invariant: each checker must pass the good one
// and flag the bad one (the same negative-control rule as on the real cluster), and a watch gap
// that may hide a violation must show as a gap, never as a pass.
import { describe, expect, test } from "@jest/globals";
import type { ClaimSnapshot, EntryType, PodSnapshot, TimelineEntry } from "./entry.js";
import {
  checkClaimDeletedAfterPod,
  checkOrdinalNames,
  checkOrderedCreation,
  checkReverseTermination,
  checkMinReadySeconds,
  checkNothingReplaced,
  checkRollingUpdate,
  creationOrder,
  gapsIn,
  livePods,
  terminationOrder,
} from "./invariants.js";

type PodStep = [EntryType, string, Partial<PodSnapshot>?];
type Step = PodStep | ["RELIST", string[]] | ["CLAIM", EntryType, string, Partial<ClaimSnapshot>?];

/** Pod steps by default; each object's resourceVersion changes with every event about it. */
function timeline(steps: Step[]): TimelineEntry[] {
  const versions = new Map<string, number>();
  const rv = (name: string, bump: boolean) => {
    if (bump) versions.set(name, (versions.get(name) ?? 0) + 1);
    return String(versions.get(name) ?? 0);
  };
  return steps.map((s, seq): TimelineEntry => {
    const base = { seq, t: seq * 100 };
    if (s[0] === "RELIST") return { ...base, kind: "Pod", type: "RELIST", name: "(watch expired)", listed: [...s[1]] };
    if (s[0] === "CLAIM") {
      const [, type, name, claim] = s;
      const snapshot = { phase: "Bound", volume: `pv-${name}`, terminating: false, owners: [], ...claim };
      return { ...base, kind: "PersistentVolumeClaim", type, name, claim: snapshot };
    }
    const [type, name, pod] = s as PodStep;
    return {
      ...base,
      kind: "Pod",
      type,
      name,
      resourceVersion: rv(name, type !== "LISTED"),
      pod: { name, uid: `${name}-uid`, phase: "Pending", ready: false, terminating: false, ...pod },
    };
  });
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
    expect(v.some((x) => x.expected.startsWith("at most one pod not Ready"))).toBe(true);
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

describe("G32 minReadySeconds", () => {
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
  const make = (gap: number) =>
    timeline([
      ["ADDED", "web-0", { created: at(0) }],
      ["MODIFIED", "web-0", { ...ready, readySince: at(2) }],
      ["ADDED", "web-1", { created: at(2 + gap) }],
    ]);

  test("holds when the next pod came minReadySeconds after its predecessor was Ready", () => {
    expect(checkMinReadySeconds(make(5), "web", 2, 5)).toEqual({ violations: [], gaps: [] });
  });
  test("flags a pod created sooner, and a recording without the pods", () => {
    expect(checkMinReadySeconds(make(1), "web", 2, 5).violations[0]).toMatchObject({ pod: "web-1", seen: "1 s after" });
    expect(checkMinReadySeconds([], "web", 2, 5).violations[0]).toMatchObject({ seen: "not recorded" });
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
