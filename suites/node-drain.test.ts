// G25 node drain: cordon a node that runs a set member and evict it through the Eviction API,
// as `kubectl drain` does, with a PodDisruptionBudget. The member returns with its identity and
// data, where its class's topology says: node-pinned storage (local-path) keeps the recreated pod
// Pending while the node is cordoned and brings it back there after uncordon; storage that can
// move (zonal, any-node) lets it run on another node at once, within the class's budget. The
// topology expected is what a storage profile claims, or what the cluster says (inferred). An
// eviction that would break the budget is refused.
// Disruptive: on a cluster other than the suite's own kind cluster it needs STS_ALLOW_DISRUPTIVE=1.
// Negative controls: without a budget the same second eviction is not refused; and (kind) the
// drain check flags a class claimed with the topology it does not have, naming the capability
// and where the data is: kind's node-pinned `standard` claimed movable (in a run whose class is
// claimed movable), its movable `shared` claimed node-pinned (in a run whose class is claimed
// node-pinned): each run shows the check can refute the claim it makes.
import { describe, expect } from "@jest/globals";
import type * as k8s from "@kubernetes/client-node";
import { cordon } from "../harness/faults/cordon.js";
import { disruptive, onKind, type RunCondition } from "../harness/run/conditions.js";
import { measure } from "../harness/report/measure.js";
import { attach, step } from "../harness/report/step.js";
import { checkSameMember } from "../harness/checks/identity.js";
import { checkDrainTopology, type AfterDrain } from "../harness/storage/capability-checks.js";
import type { Topology } from "../harness/storage/profile.js";
import { isReady } from "../harness/kube/pods.js";
import { WaitTimeout } from "../harness/kube/watch.js";
import { Timeouts } from "../harness/config/timeouts.js";
import { podName } from "../harness/statefulset/naming.js";
import { claimName } from "../fixtures/web-statefulset.js";
import type { Scenario } from "./support/scenario.js";
import { scenarioTest } from "./support/scenario-test.js";
import { kindClusterName } from "../harness/run/conditions.js";
import { expectations, expectedTopology, measureLatency } from "./support/storage.js";
import { pinnedNodes, runExpectations } from "../harness/storage/expectations.js";

const unschedulable = (p: k8s.V1Pod) =>
  p.status?.phase === "Pending" &&
  (p.status?.conditions ?? []).some((c) => c.type === "PodScheduled" && c.status === "False");

const scheduledMessage = (p: k8s.V1Pod) =>
  p.status?.conditions?.find((c) => c.type === "PodScheduled")?.message ?? "(no message)";

/** kind's classes, one of each topology, for the controls that claim the other. */
const pinnedClass = "standard";
const movableClass = "shared";

/** How a drain is judged: the topology expected of the class, and whether the check must hold or flag. */
interface DrainCase {
  /** The node it prefers (on kind, the one reserved for faults, so a cordon there touches no other test). */
  onNode?: string;
  storageClass?: string;
  /** The topology claimed (a control's wrong claim); default: the run's expectation. */
  claimed?: Topology;
  judge: "held" | "flagged";
}

/**
 * The evicted web-1 (UID `uid`), seen recreated: Ready on another node, or Pending for its
 * cordoned node; or neither within the wait.
 */
async function afterEviction(
  s: Scenario,
  uid: string | undefined,
  node: string,
  evictedAt: number,
  waitS: number,
): Promise<AfterDrain> {
  const recreated = (p: k8s.V1Pod) => p.metadata?.uid !== uid && !p.metadata?.deletionTimestamp;
  try {
    const p = await step(`observe: web-1 recreated: Ready on another node than ${node}, or Pending for it`, () =>
      s.observe.pod(
        1,
        `Ready off ${node} or unschedulable`,
        (p) => recreated(p) && ((isReady(p) && p.spec?.nodeName !== node) || unschedulable(p)),
        waitS * 1000,
      ),
    );
    return isReady(p)
      ? { kind: "ready elsewhere", node: p.spec?.nodeName ?? "", ms: Date.now() - evictedAt }
      : { kind: "pending", message: scheduledMessage(p) };
  } catch (e) {
    if (!(e instanceof WaitTimeout)) throw e;
    const p = await s.probe.pod(1);
    return { kind: "not back", state: p ? `${p.status?.phase}: ${scheduledMessage(p)}` : "no pod", waitedS: waitS };
  }
}

/** G25's scenario: web-1's node cordoned, web-1 evicted (allowed), web-2's eviction refused; web-1 back as the same member, where its topology says. */
async function drain(s: Scenario, o: DrainCase): Promise<void> {
  await step(
    `arrange: an OrderedReady set of 3${o.storageClass ? ` of StorageClass ${o.storageClass}` : ""}, Ready, and a budget of maxUnavailable 1`,
    async () => {
      await s.act.create(
        s.act.webSet({
          replicas: 3,
          ...(o.onNode ? { onNode: o.onNode } : {}),
          ...(o.storageClass ? { storageClass: o.storageClass } : {}),
        }),
      );
      await s.observe.readyPods(3);
      await s.act.createBudget(1);
      await s.observe.budgetAllows(1);
    },
  );
  await s.probe.writePayload(1);
  const before = await s.probe.identity(1);
  const claim = claimName(s.set, 1);
  const volume = await s.probe.volume(claim);
  const pinnedTo = pinnedNodes(volume);
  const topology = o.claimed ?? expectedTopology(volume);
  const budgetS = expectations().budgetsS.moveAfterDrain.seconds;
  const node = (await s.probe.pod(1))?.spec?.nodeName ?? "";
  const started = Date.now();
  const cordoned = await step(`act: cordon ${node}, the node of web-1`, () => s.act.apply(cordon(s.kube, node)));
  await step("act: evict web-1 through the Eviction API: allowed", async () => {
    expect(await s.act.evict(1)).toEqual({ evicted: true });
  });
  await step("assert: evicting web-2 now would break the budget: refused (429)", async () => {
    expect(await s.act.evict(2)).toMatchObject({ evicted: false, code: 429 });
  });
  const seen = await afterEviction(s, before.uid, node, started, Math.max(budgetS, Timeouts.setSettleMs / 1000));
  await attach("web-1 after its eviction", JSON.stringify(seen));
  // the run's class only: a control's class is not the one the latencies are of
  if (seen.kind === "ready elsewhere" && !o.storageClass) await measureLatency("moveAfterDrain", seen.ms);
  await step(`act: uncordon ${node}`, () => s.act.undo(cordoned));
  const drainCheck = () =>
    checkDrainTopology(
      {
        pod: podName(s.set, 1),
        node,
        topology,
        volume: volume?.metadata?.name ?? "?",
        pinnedTo,
        budgetS,
      },
      seen,
    );
  if (o.judge === "flagged") {
    await step(
      `assert: claimed ${topology}, the drain check flags it, naming the capability and the data (it can fail)`,
      () => s.check.flagged(drainCheck, { guarantee: "drain", seen: /pinned to|the volume moved/ }),
    );
  } else {
    await step(`assert: web-1 came back as its topology (${topology}) says`, () => s.check.held(drainCheck));
  }
  const back = await step("observe: web-1 Ready", () =>
    s.observe.readyPod(1, "recreated", (p) => p.metadata?.uid !== before.uid),
  );
  if (seen.kind === "pending") expect(back.spec?.nodeName).toBe(node); // a pinned member returns to its node
  await measure("web-1 unavailable during drain", Date.now() - started);
  const after = await s.probe.identity(1);
  await step("assert: same member: name, hostname, claim, volume, data; new UID", () =>
    s.check.held(() => checkSameMember(before, after, "pod deleted", s.set)),
  );
}

/**
 * The topology control a run needs: the one that claims what the run's class claims, of kind's
 * class that does not have it (a run claiming a volume that moves: kind's pinned class claimed
 * movable; a run claiming node-pinned: kind's movable class claimed pinned). It shows the check
 * can refute the claim this run makes; a run of each topology runs the other.
 */
function topologyControl(claims: "movable" | "node-pinned"): RunCondition {
  const run = runExpectations()?.topology;
  const runClaims =
    run === undefined || run.asSeen ? undefined : run.value === "node-pinned" ? "node-pinned" : "movable";
  const kind = onKind(
    `the topology controls need the suite's kind cluster (its StorageClasses ${pinnedClass} and ${movableClass})`,
  );
  if (!kind.holds) return kind;
  return {
    holds: runClaims === claims,
    reason: `this run's class is expected ${run?.value ?? "as its volumes show"}: the control that claims ${claims} runs in a run that claims it`,
    ...(runClaims !== undefined ? { standIn: true as const } : {}), // the other topology's control backs this run's claim
  };
}

describe("G25 node drain", () => {
  scenarioTest(
    {
      guarantees: ["G25"],
      proves: ["drain"],
      needs: ["disruptive"],
      says: "a drained member returns with its identity and data, where its class's topology says (node-pinned: Pending until its node is uncordoned; movable: elsewhere within budget); evictions honour the budget",
    },
    { runIf: disruptive() },
    // on kind, the node reserved for node faults: a cordon there keeps no other test's pod from its node
    (s) =>
      kindClusterName() === undefined
        ? drain(s, { judge: "held" })
        : s.onFaultNode((node) => drain(s, { onNode: node, judge: "held" })),
  );

  scenarioTest(
    {
      guarantees: ["G25"],
      proves: ["drain"],
      control: true,
      needs: ["disruptive"],
      says: "without a budget the second eviction is not refused",
    },
    { runIf: disruptive() },
    async (s) => {
      await step("arrange: an OrderedReady set of 3 on emptyDir, Ready, no budget", () =>
        s.readySet({ replicas: 3, dataVolume: "emptyDir" }),
      );
      const outcomes = [await s.act.evict(1), await s.act.evict(2)];
      expect(outcomes.every((o) => o.evicted)).toBe(true);
    },
  );

  scenarioTest(
    {
      guarantees: ["G25"],
      proves: ["drain"],
      control: true,
      needs: ["kind-cluster", "run-claim"],
      says: "a node-pinned class (kind's standard) claimed movable fails the drain check, naming the capability and the data",
    },
    { runIf: topologyControl("movable") },
    (s) =>
      s.onFaultNode((node) =>
        drain(s, {
          onNode: node,
          storageClass: pinnedClass,
          claimed: expectations().topology.value,
          judge: "flagged",
        }),
      ),
  );

  scenarioTest(
    {
      guarantees: ["G25"],
      proves: ["drain"],
      control: true,
      needs: ["kind-cluster", "run-claim"],
      says: "a movable class (kind's shared) claimed node-pinned fails the drain check",
    },
    { runIf: topologyControl("node-pinned") },
    (s) =>
      s.onFaultNode((node) =>
        drain(s, { onNode: node, storageClass: movableClass, claimed: "node-pinned", judge: "flagged" }),
      ),
  );
});
