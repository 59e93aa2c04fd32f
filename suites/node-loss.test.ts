// G23 at most one pod per identity under node loss. The member's node is paused (its container
// frozen through the Docker API): the node becomes unreachable and the taint manager evicts web-0
// (its toleration is 5 s), but only the frozen kubelet could confirm the containers are gone, so
// the pod must stay Terminating and no second web-0 may appear. When the node is back, the kubelet
// confirms, and web-0 returns with its identity and data (G24, the node returns).
// Every scenario here runs on the node kind-config.yaml reserves for node faults, holding it from
// arrange to the end (s.onFaultNode): no other test's pods are there, and the run goes on meanwhile;
// on another cluster, on a worker with the cluster to itself.
// The same check also runs with the kubelet stopped by a privileged pod: the path off kind, where
// it and the control run (with STS_ALLOW_DISRUPTIVE=1) and the Docker faults cannot.
// Negative control: a force delete during the window (the documented way out, G24) is exactly what
// the check must flag (off kind, the kubelet stopped by the pod); on node-pinned storage the
// replacement then waits Pending for its volume's node, and comes up there, with its data, once the
// node is back.
// G24: a stopped node tainted out-of-service lets its member be removed and created again (on
// local-path it then waits for its volume's node). Control: left untainted, it is never replaced.
import type * as k8s from "@kubernetes/client-node";
import { describe, expect } from "@jest/globals";
import { Timeouts } from "../harness/config/timeouts.js";
import { Inconclusive } from "../harness/verdict/verdict.js";
import { WaitTimeout } from "../harness/kube/watch.js";
import { nodeFault } from "../harness/faults/node-faults.js";
import { outOfService } from "../harness/faults/out-of-service.js";
import type { Fault } from "../harness/faults/undo.js";
import { attach, step } from "../harness/report/step.js";
import { podName } from "../harness/statefulset/naming.js";
import { checkSameMember, type PodIdentity } from "../harness/checks/identity.js";
import { checkNotReplacedWhileUnreachable, checkReplacedOutOfService } from "../harness/checks/node-loss.js";
import { quietWindow } from "../harness/timeline/quiet-window.js";
import { claimName } from "../fixtures/web-statefulset.js";
import type { Scenario } from "./support/scenario.js";
import { scenarioTest } from "./support/scenario-test.js";
import { kindClusterName, onKind, podFaults } from "../harness/run/conditions.js";

const kindNodes = onKind("pausing or stopping a node needs the suite's kind cluster (its nodes are Docker containers)");
/**
 * A node lost on any cluster: on kind its container paused, elsewhere its kubelet stopped by a
 * privileged pod (the path node faults take off kind), with the disruptive faults' opt-in.
 */
const lostNode = (s: Scenario, node: string): Fault =>
  kindClusterName() === undefined
    ? nodeFault(s.kube, node, "kubelet-stop", { path: "pod" })
    : nodeFault(s.kube, node, "node-pause");

/** The set's one member: the one its node's loss takes. */
const member = 0;

/**
 * A set of 1 on the fault node, whose pod is evicted 5 s after its node is unreachable, holding
 * data. Returns the member's identity and the nodes its volume is pinned to (none on shared storage).
 */
async function arrange(s: Scenario, node: string): Promise<{ before: PodIdentity; pinnedTo: string[] }> {
  await step(`arrange: a set of 1 on ${node} whose pod is evicted 5 s after its node is unreachable, Ready`, () =>
    s.readySet({ replicas: 1, unreachableTolerationS: 5, onNode: node }),
  );
  await s.probe.writePayload(member);
  const before = await s.probe.identity(member);
  const placed = (await s.observe.readyPod(member, "placed", () => true)).spec?.nodeName ?? "";
  if (placed !== node)
    throw new Inconclusive(`${podName(s.set, member)} was placed on ${placed}, not on the fault node ${node}`);
  return { before, pinnedTo: await s.probe.volumeNodes(claimName(s.set, member)) };
}

/** Makes `node` unreachable by `fault` and waits until the member on it is evicted (Terminating); `from` opens the window. */
async function loseNode(s: Scenario, fault: Fault): Promise<{ lost: Fault; from: number }> {
  const from = await s.recorder.markAction(`from here: the node is unreachable`);
  const lost = await step(`act: ${fault.what}`, () => s.act.apply(fault));
  await step(`observe: ${podName(s.set, member)} evicted (Terminating): its node is unreachable`, () =>
    s.observe.pod(member, "Terminating", (p) => p.metadata?.deletionTimestamp !== undefined),
  );
  return { lost, from };
}

/**
 * With node-pinned storage (local-path) the replacement of a member lost with `node` must wait
 * Pending, the scheduler saying why; storage reachable from elsewhere lets it run at once.
 */
async function waitsForItsVolume(s: Scenario, replacement: k8s.V1Pod, node: string, pinnedTo: string[]): Promise<void> {
  const victim = podName(s.set, member);
  if (!pinnedTo.includes(node))
    return attach("the replacement", `${replacement.metadata?.uid}: its volume is not pinned to ${node}`);
  const why = await step(`observe: the new ${victim} Pending: its volume is pinned to ${node}`, async () => {
    const pending = await s.observe.pod(member, "unschedulable", (p) =>
      Boolean(p.status?.conditions?.some((c) => c.type === "PodScheduled" && c.reason === "Unschedulable")),
    );
    return pending.status?.conditions?.find((c) => c.type === "PodScheduled")?.message ?? "";
  });
  await attach("why the replacement waits", why);
  expect(why).toMatch(/PersistentVolume's node affinity|volume node affinity conflict/);
}

/**
 * Stops `node` (a power cut) and waits until the control plane calls it NotReady; with `outOfService`
 * it is then tainted out-of-service, as an operator does for a node that is down for good. Returns
 * the faults to undo and where the window opens.
 */
async function shutDownNode(
  s: Scenario,
  node: string,
  o: { outOfService: boolean },
): Promise<{ faults: Fault[]; from: number }> {
  const stopped = await step(`act: stop node ${node} (its container killed)`, () =>
    s.act.apply(nodeFault(s.kube, node, "node-stop")),
  );
  await step(`observe: node ${node} NotReady`, () => s.observe.nodeReady(node, false));
  if (!o.outOfService)
    return { faults: [stopped], from: await s.recorder.markAction(`from here: ${node} is down, not tainted`) };
  const from = await s.recorder.markAction(`from here: ${node} is out of service`);
  const tainted = await step(`act: taint node ${node} out-of-service`, () => s.act.apply(outOfService(s.kube, node)));
  return { faults: [stopped, tainted], from };
}

/** Starts the node again and removes the taint (verified: Ready, untainted). */
async function bringBack(s: Scenario, node: string, faults: Fault[]): Promise<number> {
  let until = 0;
  for (const f of faults) until = await step(`act: undo: ${f.what} (verified)`, () => s.act.undo(f));
  return until;
}

/** Once its node is back: web-1 Ready under a new UID, and the same member (name, hostname, claim, volume, data). */
async function backAsTheSameMember(s: Scenario, before: PodIdentity): Promise<void> {
  await step(`observe: ${podName(s.set, member)} Ready once its node is back`, () =>
    s.observe.readyPod(member, "a new UID", (p) => p.metadata?.uid !== before.uid),
  );
  const after = await s.probe.identity(member);
  await step("assert: the same member: name, hostname, claim, volume and data", () =>
    s.check.held(() => checkSameMember(before, after, "pod deleted", s.set)),
  );
}

/**
 * G23 over one node loss: the member on the node made unreachable by `lose` is evicted, stays
 * Terminating over a quiet window and the rest of the fault, no second one appears; once the
 * fault is undone it returns as the same member.
 */
async function notReplacedWhileUnreachable(s: Scenario, node: string, lose: (node: string) => Fault): Promise<void> {
  const victim = podName(s.set, member);
  const { before } = await arrange(s, node);
  const { lost, from } = await loseNode(s, lose(node));
  await step(`observe: a ${Timeouts.quietWindowMs / 1000} s window: ${victim} stays, no second ${victim}`, async () =>
    quietWindow(
      s.recorder,
      await s.recorder.markAction(`${victim} Terminating on the unreachable node`),
      Timeouts.quietWindowMs,
      (e) => e.kind === "Pod" && e.name === victim && (e.type === "DELETED" || e.type === "ADDED"),
    ),
  );
  const until = await step(`act: undo: ${lost.what} (verified Ready)`, () => s.act.undo(lost));
  await step(`assert: ${victim} was neither removed nor replaced while its node was unreachable`, () =>
    s.check.held(() => checkNotReplacedWhileUnreachable(s.recorder.entries, victim, from, until)),
  );
  await backAsTheSameMember(s, before);
}

describe("G23 at most one pod per identity under node loss", () => {
  scenarioTest(
    {
      guarantees: ["G23"],
      proves: ["node-loss"],
      needs: ["kind-cluster"],
      says: "a member on a paused node is not replaced while the node is unreachable; it returns with its identity",
    },
    { runIf: kindNodes },
    (s) => s.onFaultNode((node) => notReplacedWhileUnreachable(s, node, (n) => nodeFault(s.kube, n, "node-pause"))),
  );

  // The path node faults take on any other cluster, tested here on every run: a privileged pod on
  // the node stops its kubelet, holds it, starts it again and verifies (harness/cluster/node-pod.ts).
  scenarioTest(
    {
      guarantees: ["G23"],
      proves: ["node-loss"],
      needs: ["disruptive"],
      says: "a member on a node whose kubelet a privileged pod stopped is not replaced while the node is unreachable; the pod undoes it, the member returns",
    },
    { runIf: podFaults() },
    (s) =>
      s.onFaultNode((node) =>
        notReplacedWhileUnreachable(s, node, (n) => nodeFault(s.kube, n, "kubelet-stop", { path: "pod" })),
      ),
  );

  scenarioTest(
    {
      guarantees: ["G23"],
      proves: ["node-loss"],
      control: true,
      needs: ["disruptive"],
      says: "the check flags a force delete on the unreachable node; the replacement waits for its volume's node",
    },
    { runIf: podFaults() },
    (s) =>
      s.onFaultNode(async (node) => {
        const victim = podName(s.set, member);
        const { before, pinnedTo } = await arrange(s, node);
        const { lost: paused, from } = await loseNode(s, lostNode(s, node));
        await step(`act: force-delete ${victim} while its node is unreachable`, () =>
          s.act.deletePod(member, { force: true }),
        );
        const replacement = await step(`observe: a second ${victim} created`, () =>
          s.observe.pod(member, "a new UID", (p) => p.metadata?.uid !== before.uid),
        );
        await waitsForItsVolume(s, replacement, node, pinnedTo);
        const until = await step(`act: bring node ${node} back (verified Ready)`, () => s.act.undo(paused));
        await step("assert: the checker flags the removal and the second pod (it can fail)", () =>
          s.check.flagged(() => checkNotReplacedWhileUnreachable(s.recorder.entries, victim, from, until), {
            guarantee: "G23",
            seen: /without its kubelet's confirmation|created while the old one may still run/,
          }),
        );
        await backAsTheSameMember(s, before);
      }),
  );
});

describe("G24 non-graceful node shutdown: the out-of-service taint", () => {
  scenarioTest(
    {
      guarantees: ["G24"],
      proves: ["node-loss"],
      needs: ["kind-cluster"],
      says: "a member on a stopped node tainted out-of-service is removed, then created again; it waits for its volume's node and returns with its data",
    },
    { runIf: kindNodes },
    (s) =>
      s.onFaultNode(async (node) => {
        const victim = podName(s.set, member);
        const { before, pinnedTo } = await arrange(s, node);
        const { faults, from } = await shutDownNode(s, node, { outOfService: true });
        const bound = Timeouts.outOfServiceReplaceMs;
        const replacement = await step(
          `observe: ${victim} removed and created again (within ${bound / 1000} s)`,
          () =>
            s.observe
              .pod(member, "a new UID", (p) => p.metadata?.uid !== before.uid, bound)
              .catch((e: unknown) => (e instanceof WaitTimeout ? undefined : Promise.reject(e))), // the check says what was seen
        );
        if (replacement) await waitsForItsVolume(s, replacement, node, pinnedTo);
        // the window closes on what the recorder has seen (markAction waits for it): the observation's
        // own watch may be ahead (a movable member is replaced in a moment, its old pod's removal not yet recorded)
        const until = await s.recorder.markAction(
          replacement ? `${victim} replaced` : `${bound / 1000} s: ${victim} not replaced`,
        );
        await bringBack(s, node, faults);
        await step(`assert: ${victim} was removed, then created again, once its node was out of service`, () =>
          s.check.held(() => checkReplacedOutOfService(s.recorder.entries, victim, from, until)),
        );
        await backAsTheSameMember(s, before);
      }),
  );

  scenarioTest(
    {
      guarantees: ["G24"],
      proves: ["node-loss"],
      control: true,
      needs: ["kind-cluster"],
      says: "the check flags a stopped node left untainted (the member is never replaced)",
    },
    { runIf: kindNodes },
    (s) =>
      s.onFaultNode(async (node) => {
        const victim = podName(s.set, member);
        await arrange(s, node);
        const { faults, from } = await shutDownNode(s, node, { outOfService: false });
        const bound = Timeouts.outOfServiceReplaceMs; // as long as the check gives the out-of-service path
        await step(`observe: a ${bound / 1000} s window with the node down and untainted`, () =>
          quietWindow(s.recorder, from, bound, () => false),
        );
        const until = await s.recorder.markAction("window closed");
        await bringBack(s, node, faults);
        await step("assert: the checker flags the member not replaced (it can fail)", () =>
          s.check.flagged(() => checkReplacedOutOfService(s.recorder.entries, victim, from, until), {
            guarantee: "G24",
            seen: /never removed/,
          }),
        );
      }),
  );
});
