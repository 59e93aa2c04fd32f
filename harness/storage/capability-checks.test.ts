import type * as k8s from "@kubernetes/client-node";
import { describe, expect, test } from "@jest/globals";
import { timeline } from "../timeline/hand-made.js";
import {
  bindingLatencies,
  checkBinding,
  checkBudgets,
  checkDrainTopology,
  checkExpansion,
  checkFsGroup,
  selectedNodeAnnotation,
  type BoundMember,
} from "./capability-checks.js";

const pinnedTo = (node: string): k8s.V1PersistentVolume => ({
  metadata: { name: "pv-1" },
  spec: {
    nodeAffinity: {
      required: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [node] }] }],
      },
    },
  },
});
const anywhere: k8s.V1PersistentVolume = { metadata: { name: "pv-1" }, spec: {} };

const member = (volume: k8s.V1PersistentVolume, selected?: string, phase = "Bound"): BoundMember => ({
  pod: "web-0",
  node: "w1",
  nodeLabels: { "kubernetes.io/hostname": "w1" },
  claim: {
    metadata: { name: "data-web-0", ...(selected ? { annotations: { [selectedNodeAnnotation]: selected } } : {}) },
    spec: { volumeName: "pv-1" },
    status: { phase },
  },
  volume,
});

describe("binding and topology", () => {
  const pinned = { bindingMode: "WaitForFirstConsumer", topology: "node-pinned" } as const;
  const movable = { bindingMode: "Immediate", topology: "any-node" } as const;

  test("held: a pinned volume bound where its pod was scheduled; a movable one bound at once", () => {
    expect(checkBinding([member(pinnedTo("w1"), "w1")], pinned)).toEqual([]);
    expect(checkBinding([member(anywhere)], movable)).toEqual([]);
  });

  test("flags a volume its pod's node cannot use, and a claim bound elsewhere than its pod", () => {
    const seen = checkBinding([member(pinnedTo("w2"), "w2")], pinned).map((v) => `${v.expected} / ${v.seen}`);
    expect(seen).toEqual([
      "volume pv-1 of claim data-web-0 usable on w1, where web-0 runs / its node affinity excludes w1",
      `claim data-web-0 bound where web-0 was scheduled (WaitForFirstConsumer: ${selectedNodeAnnotation} w1) / selected node w2`,
    ]);
  });

  test("flags the wrong topology and the wrong binding mode, naming the capability", () => {
    const v = checkBinding([member(anywhere)], pinned);
    expect(v.map((x) => x.guarantee)).toEqual(["binding-and-topology", "binding-and-topology"]);
    expect(v[1]).toMatchObject({
      expected: "volume pv-1 of claim data-web-0 node-pinned",
      seen: "no node affinity (any-node)",
    });
    expect(checkBinding([member(pinnedTo("w1"), "w1")], movable).map((x) => x.seen)).toEqual([
      "it waited for its pod's node w1 (WaitForFirstConsumer)",
      "node affinity on kubernetes.io/hostname (node-pinned)",
    ]);
    expect(checkBinding([member(anywhere, undefined, "Pending")], movable)[0]?.seen).toBe("phase Pending, volume pv-1");
  });

  test("latencies from the timeline: claim created → Bound, pod scheduled → Running", () => {
    const entries = timeline([
      ["CLAIM", "ADDED", "data-web-0", { phase: "Pending" }],
      ["ADDED", "web-0", { phase: "Pending" }],
      ["CLAIM", "MODIFIED", "data-web-0", { phase: "Bound" }],
      ["MODIFIED", "web-0", { phase: "Pending", node: "w1" }],
      ["MODIFIED", "web-0", { phase: "Pending", node: "w1" }],
      ["MODIFIED", "web-0", { phase: "Running", node: "w1" }],
    ]);
    expect(bindingLatencies(entries)).toEqual([
      { operation: "bound", name: "data-web-0", ms: 200 },
      { operation: "attachAndMount", name: "web-0", ms: 200 },
    ]);
    const budgets = {
      bound: { seconds: 0.1 },
      attachAndMount: { seconds: 1 },
      moveAfterDrain: { seconds: 1 },
      expansion: { seconds: 1 },
    };
    expect(checkBudgets("binding-and-topology", bindingLatencies(entries), budgets)).toEqual([
      {
        guarantee: "binding-and-topology",
        pod: "data-web-0",
        expected: "claim created → Bound within 0.1 s",
        seen: "0.2 s",
      },
    ]);
  });
});

describe("expansion", () => {
  const grown = {
    kind: "grown",
    requestedBytes: 100,
    capacityBytes: 100,
    fsBefore: 50,
    fsAfter: 90,
    dataKept: true,
  } as const;
  test("held when the claim, the filesystem and the data say so", () => {
    expect(checkExpansion("web-0", "data-web-0", grown)).toEqual([]);
  });
  test("flags a refusal, a claim never grown, a filesystem the same size, data changed", () => {
    expect(checkExpansion("web-0", "data-web-0", { kind: "refused", why: "forbidden" })[0]).toMatchObject({
      guarantee: "expansion",
      seen: "the API server refused: forbidden",
    });
    expect(checkExpansion("web-0", "c", { kind: "not grown", why: "Resizing", waitedS: 5 })[0]?.expected).toBe(
      "claim c grown within 5 s (expansion claimed)",
    );
    expect(checkExpansion("web-0", "c", { ...grown, fsAfter: 50, dataKept: false }).map((v) => v.seen)).toEqual([
      "50 bytes",
      "its payload changed",
    ]);
  });
});

describe("fsGroup", () => {
  test("held: the group is the fsGroup and the directory setgid; flagged otherwise", () => {
    expect(checkFsGroup("web-0", "4321 drwxrwsrwx\n", 4321)).toEqual([]);
    expect(checkFsGroup("web-0", "0 drwxrwxrwx", 4321).map((v) => v.seen)).toEqual(["group 0", "mode drwxrwxrwx"]);
  });
});

describe("drain against the claimed topology", () => {
  const o = { pod: "web-1", node: "w3", volume: "pv-1", budgetS: 60 };
  test("held: movable back elsewhere within budget; pinned Pending", () => {
    expect(
      checkDrainTopology(
        { ...o, topology: "any-node", pinnedTo: [] },
        { kind: "ready elsewhere", node: "w1", ms: 5000 },
      ),
    ).toEqual([]);
    expect(
      checkDrainTopology({ ...o, topology: "node-pinned", pinnedTo: ["w3"] }, { kind: "pending", message: "x" }),
    ).toEqual([]);
  });
  test("a pinned class claimed movable: flagged, naming the capability and where the data is", () => {
    const [v] = checkDrainTopology(
      { ...o, topology: "any-node", pinnedTo: ["w3"] },
      { kind: "pending", message: "0/4 nodes are available: 1 node(s) had volume node affinity conflict" },
    );
    expect(v).toMatchObject({ guarantee: "drain", pod: "web-1" });
    expect(v?.expected).toContain("Ready on another node than w3 within 60 s (topology any-node");
    expect(v?.seen).toBe(
      "Pending: 0/4 nodes are available: 1 node(s) had volume node affinity conflict; its data (volume pv-1) pinned to w3",
    );
  });
  test("a movable class claimed pinned: flagged; a movable one too slow: flagged", () => {
    expect(
      checkDrainTopology(
        { ...o, topology: "node-pinned", pinnedTo: [] },
        { kind: "ready elsewhere", node: "w1", ms: 4000 },
      )[0]?.seen,
    ).toBe(
      "Ready on w1 after 4.0 s: the volume moved, so the class is not node-pinned; its data (volume pv-1) reachable from every node",
    );
    expect(
      checkDrainTopology(
        { ...o, topology: "any-node", pinnedTo: [] },
        { kind: "ready elsewhere", node: "w1", ms: 61_000 },
      ),
    ).toHaveLength(1);
  });
});
