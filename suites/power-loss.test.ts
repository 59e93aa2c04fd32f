// G9 durability under power loss, as a storage vendor needs it proved: an acknowledged record is
// one the member fsynced, and an fsynced record survives a power cut. A killed kind node is no
// power cut by itself (the host's page cache keeps what was never fsynced), so the set's volumes
// are on the StorageClass lazyfs, whose filesystem (harness/images/lazyfs) keeps unsynced writes
// in memory only and forgets them when the node is cut. A writer appends to the member on the
// fault node through two power cuts; every acknowledged record must be on its volume after.
// Negative control: the same set acknowledging before fsync (its journal fsynced every 2 s behind
// the acknowledgements, those fsyncs held before the cut so that it always finds records not yet
// fsynced) loses the records acknowledged since its last fsync, and the check names them: one
// stretch per cut between kept records, not the whole journal.
import type * as k8s from "@kubernetes/client-node";
import { describe, expect } from "@jest/globals";
import { holdFsyncs, lateFsyncS, webContainer, type Acknowledge } from "../fixtures/web-pod.js";
import { shInPod } from "../harness/kube/exec.js";
import { nodeFault } from "../harness/faults/node-faults.js";
import { attach, step } from "../harness/report/step.js";
import { powerCutStorage, powerLossClass } from "../harness/run/conditions.js";
import { podName } from "../harness/statefulset/naming.js";
import { Inconclusive } from "../harness/verdict/verdict.js";
import { checkNothingLost, describeLedger, lossShape, type Ledger } from "../harness/workload/ledger.js";
import type { Scenario } from "./support/scenario.js";
import { scenarioTest } from "./support/scenario-test.js";

/** The set's one member, on the fault node: the one each power cut takes. */
const member = 0;
/** Acknowledged writes the member must show before each cut, and again after it. */
const progress = 10;

/**
 * Whether the pod's container was started at or after `ms` (the kubelet reports whole seconds):
 * a container of the node's new boot, not the one the cut killed (started a few seconds before it).
 */
const startedSince = (p: k8s.V1Pod, ms: number) =>
  new Date(p.status?.containerStatuses?.[0]?.state?.running?.startedAt ?? 0).getTime() >= Math.floor(ms / 1000) * 1000;

/**
 * A set of 1 on `node`'s lazyfs acknowledging as `acknowledge` says, written to through `cuts`
 * power cuts of the node, each followed by its return and more acknowledged writes. Returns the
 * frozen ledger.
 */
async function writeThroughPowerCuts(
  s: Scenario,
  node: string,
  acknowledge: Acknowledge,
  cuts: number,
): Promise<Ledger> {
  const victim = podName(s.set, member);
  await step(
    `arrange: a set of 1 on ${node}, on StorageClass ${powerLossClass}, acknowledging ${acknowledge}, Ready`,
    () => s.readySet({ replicas: 1, onNode: node, storageClass: powerLossClass, acknowledge }),
  );
  const placed = (await s.observe.readyPod(member, "placed", () => true)).spec?.nodeName;
  if (placed !== node) throw new Inconclusive(`${victim} was placed on ${placed}, not on the fault node ${node}`);
  const writer = await step("arrange: the writer, appending to the member", () =>
    s.act.startWriter(1, { onControlPlane: true }),
  );
  try {
    // Writes over two fsync lags before each cut: a set that fsyncs late has then fsynced some of
    // them, so what a cut takes is the stretch since its last fsync, not all it ever wrote.
    const writing = (since: number) =>
      step(`observe: ${progress} acknowledged writes, over ${2 * lateFsyncS} s`, async () => {
        await writer.acknowledgedMore([victim], progress);
        await writer.until(
          `acknowledged writes ${2 * lateFsyncS} s after ${new Date(since).toISOString()}`,
          (l) => (l.get(victim)?.lastAckMs ?? 0) >= since + 2 * lateFsyncS * 1000,
        );
      });
    await writing(Date.now());
    for (let cut = 1; cut <= cuts; cut++) {
      if (acknowledge === "before-fsync") {
        // a cut just after a late fsync would find nothing acknowledged unsynced: the fsyncs are
        // held first, and the cut waits for acknowledgements over a whole fsync period after that
        const heldAt = Date.now();
        await step(
          "arrange: the member's late fsyncs held; acknowledged writes over an fsync period since",
          async () => {
            await shInPod(s.kube, s.namespace, victim, holdFsyncs, webContainer);
            await writer.until(
              `acknowledged writes ${lateFsyncS + 1} s after the fsyncs were held`,
              (l) => (l.get(victim)?.lastAckMs ?? 0) >= heldAt + (lateFsyncS + 1) * 1000,
            );
          },
        );
      }
      const cutAt = Date.now();
      const fault = nodeFault(s.kube, node, "node-stop");
      await step(`act: power cut ${cut} of ${cuts}: node ${node}`, () => s.act.apply(fault));
      await attach(`power cut ${cut}`, fault.applied ?? "");
      await step(`act: node ${node} powered on again (verified Ready)`, () => s.act.undo(fault));
      await step(`observe: ${victim} running again after the cut (a container of the new boot)`, () =>
        s.observe.readyPod(member, "restarted", (p) => startedSince(p, cutAt)),
      );
      await writing(Date.now());
    }
    const ledger = writer.stop(); // frozen before the journal is read
    await attach("the writer's ledger", describeLedger(ledger));
    return ledger;
  } finally {
    writer.stop();
  }
}

describe("G9 acknowledged writes survive power loss", () => {
  const cuts = 2; // as the title says
  scenarioTest(
    {
      guarantees: ["G9"],
      proves: ["power-loss-durable"],
      variant: "power loss",
      needs: ["power-cut-storage"],
      says: "every fsynced, acknowledged record survives 2 power cuts of its node (unsynced writes forgotten)",
    },
    { runIf: powerCutStorage() },
    (s) =>
      s.onFaultNode(async (node) => {
        const ledger = await writeThroughPowerCuts(s, node, "after-fsync", cuts);
        const journals = await s.probe.journals(1);
        await step("assert: every acknowledged record on the member's volume, none twice, in order", () =>
          s.check.held(() => checkNothingLost(ledger, journals)),
        );
      }),
  );

  scenarioTest(
    {
      guarantees: ["G9"],
      proves: ["power-loss-durable"],
      variant: "power loss",
      control: true,
      needs: ["power-cut-storage"],
      says: "a set acknowledging before fsync loses the records acknowledged since its last fsync, and the check names them",
    },
    { runIf: powerCutStorage() },
    (s) =>
      s.onFaultNode(async (node) => {
        const ledger = await writeThroughPowerCuts(s, node, "before-fsync", 1);
        const journals = await s.probe.journals(1);
        await step("assert: the checker flags the acknowledged records the cut took (it can fail)", () =>
          s.check.flagged(() => checkNothingLost(ledger, journals), {
            guarantee: "G9",
            seen: /acknowledged record\(s\) missing/,
          }),
        );
        const victim = podName(s.set, member);
        const acknowledged = ledger.get(victim);
        if (!acknowledged) throw new Inconclusive(`the writer's ledger holds nothing of ${victim}`);
        const shape = lossShape(acknowledged, journals.get(victim) ?? []);
        await attach("what was lost", JSON.stringify(shape));
        await step(
          "assert: what was lost is the stretch since the last fsync, records kept before and after it",
          async () => {
            expect(shape.stretches).toHaveLength(1);
            expect(shape.keptBefore).toBeGreaterThan(0);
            expect(shape.keptAfter).toBeGreaterThan(0);
          },
        );
      }),
  );
});
