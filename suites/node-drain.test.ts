// G25 node drain: cordon a node that runs a set member and evict it through the Eviction API,
// as `kubectl drain` does, with a PodDisruptionBudget. The member returns with its identity and
// data: with node-pinned storage (local-path) the recreated pod waits Pending while the node is
// cordoned and returns there after uncordon; storage that can move lets it run on another node at
// once. An eviction that would break the budget is refused.
// Disruptive: on a cluster other than the suite's own kind cluster it needs STS_ALLOW_DISRUPTIVE=1.
// Negative control: without a budget the same second eviction is not refused.
import { describe, expect } from "@jest/globals";
import type * as k8s from "@kubernetes/client-node";
import { cordon } from "../harness/faults/cordon.js";
import type { Fault } from "../harness/faults/undo.js";
import { disruptive } from "../harness/run/conditions.js";
import { measure } from "../harness/report/measure.js";
import { step } from "../harness/report/step.js";
import { checkSameMember } from "../harness/checks/identity.js";
import { podName } from "../harness/statefulset/naming.js";
import { claimName } from "../fixtures/web-statefulset.js";
import type { Scenario } from "./support/scenario.js";
import { scenarioTest } from "./support/scenario-test.js";
import { kindClusterName } from "../harness/run/conditions.js";

const unschedulable = (p: k8s.V1Pod) =>
  p.status?.phase === "Pending" &&
  (p.status?.conditions ?? []).some((c) => c.type === "PodScheduled" && c.status === "False");

/**
 * The evicted web-1 (UID `uid`) back Ready. Its volume pinned to the cordoned `node`, it must wait
 * Pending until the node is uncordoned and come back there; otherwise it runs elsewhere at once.
 * The cordon is lifted either way.
 */
async function backAfterDrain(s: Scenario, uid: string | undefined, node: string, cordoned: Fault): Promise<k8s.V1Pod> {
  const recreated = (p: k8s.V1Pod) => p.metadata?.uid !== uid;
  if (!(await s.probe.volumeNodes(claimName(s.set, 1))).includes(node)) {
    const back = await step(`observe: web-1 Ready on another node than ${node}: its volume moves with it`, () =>
      s.observe.readyPod(1, `off ${node}`, (p) => recreated(p) && p.spec?.nodeName !== node),
    );
    await step(`act: uncordon ${node}`, () => s.act.undo(cordoned));
    return back;
  }
  await step("observe: web-1 is recreated and waits Pending: its volume is pinned to the cordoned node", () =>
    s.observe.pod(1, "Pending and unschedulable", (p) => recreated(p) && unschedulable(p)),
  );
  await step(`act: uncordon ${node}`, () => s.act.undo(cordoned));
  return step("observe: web-1 Ready again, on the same node", () =>
    s.observe.readyPod(1, `on ${node}`, (p) => p.spec?.nodeName === node),
  );
}

/** G25's scenario: web-1's node cordoned, web-1 evicted (allowed), web-2's eviction refused; web-1 back as the same member. */
async function drain(s: Scenario, o: { onFaultNode: boolean }): Promise<void> {
  await step("arrange: an OrderedReady set of 3, Ready, and a budget of maxUnavailable 1", async () => {
    await s.act.create(s.act.webSet({ replicas: 3, onFaultNode: o.onFaultNode }));
    await s.observe.readyPods(3);
    await s.act.createBudget(1);
    await s.observe.budgetAllows(1);
  });
  await s.probe.writePayload(1);
  const before = await s.probe.identity(1);
  const node =
    (await s.kube.core.readNamespacedPod({ namespace: s.namespace, name: podName(s.set, 1) })).spec?.nodeName ?? "";
  const started = Date.now();
  const cordoned = await step(`act: cordon ${node}, the node of web-1`, () => s.act.apply(cordon(s.kube, node)));
  await step("act: evict web-1 through the Eviction API: allowed", async () => {
    expect(await s.act.evict(1)).toEqual({ evicted: true });
  });
  await step("assert: evicting web-2 now would break the budget: refused (429)", async () => {
    expect(await s.act.evict(2)).toMatchObject({ evicted: false, code: 429 });
  });
  await backAfterDrain(s, before.uid, node, cordoned);
  await measure("web-1 unavailable during drain", Date.now() - started);
  const after = await s.probe.identity(1);
  await step("assert: same member: name, hostname, claim, volume, data; new UID", () =>
    s.check.held(() => checkSameMember(before, after, "pod deleted", s.set)),
  );
}

describe("G25 node drain", () => {
  scenarioTest(
    "G25: a drained member returns with its identity and data (node-pinned: Pending until its node is uncordoned); evictions honour the budget",
    { runIf: disruptive() },
    // on kind, the node reserved for node faults: a cordon there keeps no other test's pod from its node
    (s) =>
      kindClusterName() === undefined
        ? drain(s, { onFaultNode: false })
        : s.onFaultNode(() => drain(s, { onFaultNode: true })),
  );

  scenarioTest(
    "G25 negative control: without a budget the second eviction is not refused",
    { runIf: disruptive() },
    async (s) => {
      await step("arrange: an OrderedReady set of 3 on emptyDir, Ready, no budget", () =>
        s.readySet({ replicas: 3, dataVolume: "emptyDir" }),
      );
      const outcomes = [await s.act.evict(1), await s.act.evict(2)];
      expect(outcomes.every((o) => o.evicted)).toBe(true);
    },
  );
});
