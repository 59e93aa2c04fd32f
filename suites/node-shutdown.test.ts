// G24 non-graceful node shutdown: a stopped node tainted out-of-service lets its member be removed
// and created again (on local-path it then waits for its volume's node), and once the node is back
// the member returns with its data. Control: left untainted, it is never replaced.
// Each scenario holds a node kind-config.yaml keeps for node faults from arrange to the end
// (s.onFaultNode), beside G23's (node-loss) on the other.
import { describe } from "@jest/globals";
import { Timeouts } from "../harness/config/timeouts.js";
import { WaitTimeout } from "../harness/kube/watch.js";
import { nodeFault } from "../harness/faults/node-faults.js";
import { outOfService } from "../harness/faults/out-of-service.js";
import type { Fault } from "../harness/faults/undo.js";
import { step } from "../harness/report/step.js";
import { podName } from "../harness/statefulset/naming.js";
import { checkReplacedOutOfService } from "../harness/checks/node-loss.js";
import { quietWindow } from "../harness/timeline/quiet-window.js";
import type { Scenario } from "./support/scenario.js";
import { scenarioTest } from "./support/scenario-test.js";
import { arrange, backAsTheSameMember, kindNodes, member, waitsForItsVolume } from "./support/lost-member.js";

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
