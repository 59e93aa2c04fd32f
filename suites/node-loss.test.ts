// G23 at most one pod per identity under node loss. The member's node is paused (its container
// frozen through the Docker API): the node becomes unreachable and the taint manager evicts web-0
// (its toleration is 5 s), but only the frozen kubelet could confirm the containers are gone, so
// the pod must stay Terminating and no second web-0 may appear. When the node is back, the kubelet
// confirms, and web-0 returns with its identity and data (G24, the node returns).
// Every scenario here runs on a node kind-config.yaml keeps for node faults, holding it from
// arrange to the end (s.onFaultNode): no other test's pods are there, and the run goes on meanwhile;
// on another cluster, on a worker with the cluster to itself. G24's scenarios (node-shutdown) take
// the other fault node meanwhile.
// The same check also runs with the kubelet stopped by a privileged pod: the path off kind, where
// it and the control run (with STS_ALLOW_DISRUPTIVE=1) and the Docker faults cannot.
// Negative control: a force delete during the window (the documented way out, G24) is exactly what
// the check must flag (off kind, the kubelet stopped by the pod); on node-pinned storage the
// replacement then waits Pending for its volume's node, and comes up there, with its data, once the
// node is back.
import { describe } from "@jest/globals";
import { Timeouts } from "../harness/config/timeouts.js";
import { nodeFault } from "../harness/faults/node-faults.js";
import type { Fault } from "../harness/faults/undo.js";
import { step } from "../harness/report/step.js";
import { podName } from "../harness/statefulset/naming.js";
import { checkNotReplacedWhileUnreachable } from "../harness/checks/node-loss.js";
import { quietWindow } from "../harness/timeline/quiet-window.js";
import type { Scenario } from "./support/scenario.js";
import { scenarioTest } from "./support/scenario-test.js";
import { arrange, backAsTheSameMember, kindNodes, member, waitsForItsVolume } from "./support/lost-member.js";
import { kindClusterName, podFaults } from "../harness/run/conditions.js";

/**
 * A node lost on any cluster: on kind its container paused, elsewhere its kubelet stopped by a
 * privileged pod (the path node faults take off kind), with the disruptive faults' opt-in.
 */
const lostNode = (s: Scenario, node: string): Fault =>
  kindClusterName() === undefined
    ? nodeFault(s.kube, node, "kubelet-stop", { path: "pod" })
    : nodeFault(s.kube, node, "node-pause");

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
