import { describe, expect, test } from "@jest/globals";
import { ready, terminating, timeline } from "../timeline/hand-made.js";
import type { MemberBaseline } from "./baseline.js";
import {
  checkBaselineData,
  checkBudgetHeld,
  checkNoRollout,
  checkOneIdentityPerMember,
  checkRemovalsConfirmed,
  checkReplacementOrder,
  gapViews,
  checkSameVolumes,
  replacedMembers,
} from "./judgements.js";

const member = (pod: string, node = "worker"): MemberBaseline => ({
  pod,
  uid: `${pod}-uid`,
  node,
  ip: "10.0.0.1",
  claim: `data-${pod}`,
  volume: `pv-${pod}`,
  volumeHandle: `/var/local-path-provisioner/pv-${pod}`,
  checksum: "aaaa",
  dns: ["10.0.0.1"],
});
const up = (node: string) => ({ ...ready, node });
const stopped = (node: string) => ({ phase: "Succeeded", ready: false, terminating: true, node });

describe("upgrade: claims, volumes and data kept (G10, G9)", () => {
  test("the same volume and storage hold; another volume, another handle or no claim are flagged", () => {
    const m = [member("web-0"), member("web-1"), member("web-2")];
    const now = new Map([
      ["data-web-0", { volume: "pv-web-0", volumeHandle: "/var/local-path-provisioner/pv-web-0" }],
      ["data-web-1", { volume: "pv-other", volumeHandle: "/var/local-path-provisioner/pv-web-1" }],
    ]);
    expect(checkSameVolumes(m, now).map((v) => `${v.guarantee} ${v.pod}: ${v.seen}`)).toEqual([
      "G10 web-1: bound to pv-other (/var/local-path-provisioner/pv-web-1)",
      "G10 web-2: claim data-web-2 gone",
    ]);
    expect(checkSameVolumes([m[0] as MemberBaseline], now)).toEqual([]);
  });

  test("a checksum that differs, or a file gone, is flagged", () => {
    const m = [member("web-0"), member("web-1"), member("web-2")];
    const v = checkBaselineData(
      m,
      new Map([
        ["web-0", "aaaa"],
        ["web-1", "bbbb"],
        ["web-2", ""],
      ]),
    );
    expect(v.map((x) => `${x.pod}: ${x.seen}`)).toEqual(["web-1: sha256 bbbb…", "web-2: the file is gone"]);
  });
});

describe("upgrade: the budget and each member's time away (G25)", () => {
  test("one member away at a time, each within the budget: held, with each member's longest stretch", () => {
    const t = timeline([
      ["LISTED", "web-0", up("a")],
      ["LISTED", "web-1", up("b")],
      ["MODIFIED", "web-0", terminating],
      ["DELETED", "web-0", stopped("a")],
      ["ADDED", "web-0", { node: "a", uid: "web-0-new" }],
      ["MODIFIED", "web-0", { ...up("a"), uid: "web-0-new" }],
      ["MODIFIED", "web-1", terminating],
      ["DELETED", "web-1", stopped("b")],
      ["ADDED", "web-1", { node: "b", uid: "web-1-new" }],
      ["MODIFIED", "web-1", { ...up("b"), uid: "web-1-new" }],
    ]);
    const r = checkBudgetHeld(t, "web", 2, 1, 1000);
    expect(r.violations).toEqual([]);
    expect(r.peak).toBe(1);
    expect(r.longestMs).toEqual(
      new Map([
        ["web-0", 300],
        ["web-1", 300],
      ]),
    );
  });

  test("two members away at once (a careless drain) and a member away past the budget are flagged", () => {
    const t = timeline([
      ["LISTED", "web-0", up("a")],
      ["LISTED", "web-1", up("b")],
      ["DELETED", "web-0", stopped("a")],
      ["DELETED", "web-1", stopped("b")],
      ["ADDED", "web-0", { node: "a", uid: "n0" }],
      ["MODIFIED", "web-0", { ...up("a"), uid: "n0" }],
      ["ADDED", "web-1", { node: "b", uid: "n1" }],
    ]);
    const v = checkBudgetHeld(t, "web", 2, 1, 250).violations;
    expect(v.map((x) => `${x.guarantee} ${x.pod}: ${x.seen}`)).toEqual([
      "G25 web-1: web-1 removed while web-0 was unavailable",
      "G25 web-0: unavailable for 0.3 s",
      "G25 web-1: unavailable for 0.3 s",
    ]);
  });

  test("members not Ready in place while the control plane restarts are no disruption: none removed, nothing flagged", () => {
    // seen on three control planes: etcd restarting stalls the kubelets' leases, the node
    // controller marks two nodes NotReady and their members not Ready, and both come back
    const t = timeline([
      ["LISTED", "web-0", up("a")],
      ["LISTED", "web-1", up("b")],
      ["NODE", "MODIFIED", "a", { ready: false }],
      ["MODIFIED", "web-0", { ...up("a"), ready: false }],
      ["NODE", "MODIFIED", "b", { ready: false }],
      ["MODIFIED", "web-1", { ...up("b"), ready: false }],
      ["NODE", "MODIFIED", "a", { ready: true }],
      ["MODIFIED", "web-0", up("a")],
      ["NODE", "MODIFIED", "b", { ready: true }],
      ["MODIFIED", "web-1", up("b")],
    ]);
    const r = checkBudgetHeld(t, "web", 2, 1, 1000);
    expect(r.violations).toEqual([]);
    expect([r.peak, r.removals]).toEqual([2, 0]);
  });

  test("a member removed while another is not Ready in place is flagged (an eviction would be refused); one removed from a NotReady node is not judged", () => {
    const drainedMeanwhile = timeline([
      ["LISTED", "web-0", up("a")],
      ["LISTED", "web-1", up("b")],
      ["MODIFIED", "web-0", { ...up("a"), ready: false }],
      ["MODIFIED", "web-1", terminating],
    ]);
    expect(checkBudgetHeld(drainedMeanwhile, "web", 2, 1, 1000).violations.map((v) => v.seen)).toEqual([
      "web-1 removed while web-0 was unavailable",
    ]);
    const nodeLost = timeline([
      ["LISTED", "web-0", up("a")],
      ["LISTED", "web-1", up("b")],
      ["NODE", "MODIFIED", "a", { ready: false }],
      ["NODE", "MODIFIED", "b", { ready: false }],
      ["MODIFIED", "web-0", { ...up("a"), ready: false }],
      ["MODIFIED", "web-1", { ...terminating, node: "b" }],
    ]);
    const r = checkBudgetHeld(nodeLost, "web", 2, 1, 1000);
    expect([r.violations, r.removals]).toEqual([[], 0]);
  });

  test("a member never back by the end of the recording counts to its end", () => {
    const t = timeline([
      ["LISTED", "web-0", up("a")],
      ["LISTED", "web-1", up("b")],
      ["DELETED", "web-0", stopped("a")],
      ["ADDED", "web-0", { uid: "n" }],
      ["MODIFIED", "web-1", up("b")],
    ]);
    const r = checkBudgetHeld(t, "web", 2, 1, 100);
    expect(r.longestMs.get("web-0")).toBe(200);
    expect(r.violations.map((v) => v.seen)).toEqual(["unavailable for 0.2 s"]);
  });
});

describe("upgrade: at most one pod per identity (G23)", () => {
  test("a removal its kubelet confirmed (terminal phase) holds; one removed while Running is flagged", () => {
    const confirmed = timeline([
      ["LISTED", "web-0", up("a")],
      ["MODIFIED", "web-0", terminating],
      ["DELETED", "web-0", stopped("a")],
    ]);
    expect(checkRemovalsConfirmed(confirmed, "web")).toEqual({ violations: [], gaps: [] });
    const forced = timeline([
      ["LISTED", "web-0", up("a")],
      ["DELETED", "web-0", { ...terminating, node: "a" }],
    ]);
    expect(checkRemovalsConfirmed(forced, "web").violations.map((v) => v.seen)).toEqual([
      "web-0 (uid web-0-uid) removed while Running on a: its containers may still run beside a replacement",
    ]);
    const neverPlaced = timeline([
      ["ADDED", "web-0"],
      ["DELETED", "web-0"],
    ]);
    expect(checkRemovalsConfirmed(neverPlaced, "web").violations).toEqual([]);
  });

  test("a member replaced while its node is NotReady is flagged; after the node is back it is not", () => {
    const during = timeline([
      ["LISTED", "web-0", up("a")],
      ["NODE", "MODIFIED", "a", { ready: false }],
      ["DELETED", "web-0", stopped("a")],
      ["ADDED", "web-0", { uid: "n" }],
      ["NODE", "MODIFIED", "a", { ready: true }],
    ]);
    const r = checkOneIdentityPerMember(during, "web");
    expect(r.windows).toBe(1);
    expect(r.violations.map((v) => v.guarantee)).toEqual(["G23", "G23"]);
    const after = timeline([
      ["LISTED", "web-0", up("a")],
      ["NODE", "MODIFIED", "a", { ready: false }],
      ["NODE", "MODIFIED", "a", { ready: true }],
      ["DELETED", "web-0", stopped("a")],
      ["ADDED", "web-0", { uid: "n" }],
    ]);
    expect(checkOneIdentityPerMember(after, "web").violations).toEqual([]);
    const elsewhere = timeline([
      ["LISTED", "web-0", up("b")],
      ["NODE", "MODIFIED", "a", { ready: false }],
      ["DELETED", "web-0", stopped("b")],
    ]);
    expect(checkOneIdentityPerMember(elsewhere, "web").windows).toBe(0);
  });
});

test("replaced members: those seen with another uid than the baseline's", () => {
  const t = timeline([
    ["LISTED", "web-0", up("a")],
    ["LISTED", "web-1", up("b")],
    ["ADDED", "web-1", { uid: "new" }],
  ]);
  const baseline = {
    schema: 1 as const,
    namespace: "ns",
    clusterUid: "u",
    serverVersion: "v1.36.3",
    preparedAt: "t",
    nodes: {},
    writerNode: "n",
    writer: "w",
    sets: [
      {
        name: "web",
        podManagementPolicy: "OrderedReady" as const,
        replicas: 2,
        maxUnavailable: 1,
        currentRevision: "r",
        updateRevision: "r",
        members: [member("web-0"), member("web-1")],
      },
    ],
  };
  expect(replacedMembers(t, baseline)).toEqual(["web-1"]);
});

describe("upgrade: no rollout started by it (G26)", () => {
  const set = {
    name: "web",
    podManagementPolicy: "OrderedReady" as const,
    replicas: 2,
    maxUnavailable: 1,
    currentRevision: "web-1",
    updateRevision: "web-1",
    members: [member("web-0"), member("web-1")],
  };
  test("the same revisions hold; a new one, and a member at it, are flagged", () => {
    const same = {
      currentRevision: "web-1",
      updateRevision: "web-1",
      members: new Map([
        ["web-0", "web-1"],
        ["web-1", "web-1"],
      ]),
    };
    expect(checkNoRollout([set], new Map([["web", same]]))).toEqual([]);
    const rolled = {
      currentRevision: "web-1",
      updateRevision: "web-2",
      members: new Map([
        ["web-0", "web-1"],
        ["web-1", "web-2"],
      ]),
    };
    expect(checkNoRollout([set], new Map([["web", rolled]])).map((v) => `${v.pod}: ${v.seen}`)).toEqual([
      "web: currentRevision web-1, updateRevision web-2",
      "web-1: web-1 at revision web-2",
    ]);
    expect(checkNoRollout([set], new Map()).map((v) => v.seen)).toEqual(["the set is gone"]);
  });
});

describe("upgrade: watch gaps (API server restarts) judged by what they can hide", () => {
  /** The timeline, with the re-listed entries at these seqs written to in the gap (a new resourceVersion). */
  const withGap = (steps: Parameters<typeof timeline>[0], written: number[]) => {
    const t = timeline(steps);
    for (const seq of written) {
      const e = t[seq];
      if (e) e.resourceVersion = `${e.resourceVersion}-written`;
    }
    return t;
  };
  const pending = (node: string) => ({ node, uid: "web-2-new" });

  test("one member coming up in the gap, the others unchanged: nothing hidden from G25, G23 or G13", () => {
    const t = withGap(
      [
        ["LISTED", "web-0", up("a")],
        ["LISTED", "web-1", up("b")],
        ["LISTED", "web-2", up("c")],
        ["DELETED", "web-2", stopped("c")],
        ["ADDED", "web-2", pending("c")],
        ["RELIST", ["web-0", "web-1", "web-2"]],
        ["LISTED", "web-0", up("a")],
        ["LISTED", "web-1", up("b")],
        ["LISTED", "web-2", { ...up("c"), uid: "web-2-new" }],
      ],
      [8],
    );
    expect(gapViews(t, "web").map((v) => [v.uncertain, v.replaced])).toEqual([[["web-2"], []]]);
    expect(checkBudgetHeld(t, "web", 3, 1, 1000).gaps).toEqual([]);
    expect(checkRemovalsConfirmed(t, "web").gaps).toEqual([]);
    expect(checkReplacementOrder(t, "web").gaps).toEqual([]);
  });

  test("two members changed in the gap may have been away at once: G25 and G13 undecided", () => {
    const t = withGap(
      [
        ["LISTED", "web-0", up("a")],
        ["LISTED", "web-1", up("b")],
        ["RELIST", ["web-0", "web-1"]],
        ["LISTED", "web-0", up("a")],
        ["LISTED", "web-1", up("b")],
      ],
      [3, 4],
    );
    expect(checkBudgetHeld(t, "web", 2, 1, 1000).gaps.map((g) => g.seq)).toEqual([2]);
    expect(checkReplacementOrder(t, "web").gaps.map((g) => g.seq)).toEqual([2]);
    expect(checkRemovalsConfirmed(t, "web").gaps).toEqual([]); // nobody replaced: nothing removed unseen
  });

  test("a member replaced in the gap may have gone unconfirmed: G23 undecided", () => {
    const t = withGap(
      [
        ["LISTED", "web-0", up("a")],
        ["RELIST", ["web-0"]],
        ["LISTED", "web-0", { ...up("a"), uid: "other" }],
      ],
      [2],
    );
    expect(gapViews(t, "web")[0]?.replaced).toEqual(["web-0"]);
    expect(checkRemovalsConfirmed(t, "web").gaps.map((g) => g.seq)).toEqual([1]);
  });

  test("a stretch over budget that ended in a gap is an upper bound: undecided, not BROKEN", () => {
    const t = withGap(
      [
        ["LISTED", "web-0", up("a")],
        ["LISTED", "web-1", up("b")],
        ["DELETED", "web-0", stopped("a")],
        ["ADDED", "web-0", { node: "a", uid: "n" }],
        ["RELIST", ["web-0", "web-1"]],
        ["LISTED", "web-0", { ...up("a"), uid: "n" }],
      ],
      [5],
    );
    const r = checkBudgetHeld(t, "web", 2, 1, 100);
    expect(r.violations.map((v) => [v.seen, v.absence])).toEqual([["unavailable for at most 0.3 s", true]]);
    expect(r.gaps.map((g) => g.seq)).toEqual([4]);
  });
});
