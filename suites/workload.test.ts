// The workload that must lose nothing (G9 as an application sees it): a writer appends
// sequence-numbered records to every member through its own DNS name, and a member acknowledges a
// record only once it is on its volume and fsynced. After a pod is deleted and another's container
// killed, and both are back, every acknowledged record is on its member's volume, once, in order.
// Negative control: the same on emptyDir loses the deleted member's acknowledged records.
import { describe } from "@jest/globals";
import type { DataVolume } from "../fixtures/web-pod.js";
import { attach, step } from "../harness/report/step.js";
import { podName } from "../harness/statefulset/naming.js";
import { checkNothingLost, describeLedger, type Ledger } from "../harness/workload/ledger.js";
import type { Scenario } from "./support/scenario.js";
import { scenarioTest } from "./support/scenario-test.js";
import { kindClusterName } from "../harness/run/conditions.js";

const replicas = 3;
/** Acknowledged writes each member must show before a fault, and again after recovery. */
const progress = 10;

/** Writes through a pod delete (web-1) and a container kill (web-2); returns what was acknowledged. */
async function writeThroughFaults(s: Scenario, dataVolume: DataVolume): Promise<Ledger> {
  await step(`arrange: a set of ${replicas} on ${dataVolume === "claim" ? "its claims" : "emptyDir"}, Ready`, () =>
    s.readySet({ replicas, dataVolume }),
  );
  const members = Array.from({ length: replicas }, (_, i) => podName(s.set, i));
  const writer = await step("arrange: the writer, appending to every member", () =>
    s.act.startWriter(replicas, { onControlPlane: kindClusterName() !== undefined }),
  );
  try {
    await step(`observe: ${progress} acknowledged writes on each member`, () =>
      writer.acknowledgedMore(members, progress),
    );
    const before = await s.probe.identity(1);
    await step("act: delete web-1; kill web-2's container", async () => {
      await s.act.deletePod(1);
      await s.act.killContainer(2);
    });
    await step("observe: web-1 replaced and Ready, web-2 restarted and Ready", async () => {
      await s.observe.readyPod(1, "a new UID", (p) => p.metadata?.uid !== before.uid);
      await s.observe.readyPod(2, "restarted", (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) > 0);
    });
    await step(`observe: ${progress} more acknowledged writes on each member`, () =>
      writer.acknowledgedMore(members, progress),
    );
    const ledger = writer.stop(); // frozen before the journals are read
    await attach("the writer's ledger", describeLedger(ledger));
    return ledger;
  } finally {
    writer.stop();
  }
}

describe("G9 a workload that must lose nothing", () => {
  scenarioTest(
    {
      guarantees: ["G9"],
      proves: ["acknowledged-writes-durable"],
      says: "every acknowledged record survives a pod delete and a container kill, once and in order",
    },
    async (s) => {
      const ledger = await writeThroughFaults(s, "claim");
      const journals = await s.probe.journals(replicas); // after the ledger froze: it holds nothing newer
      await step("assert: every acknowledged record on its member's volume, none twice, in order", () =>
        s.check.held(() => checkNothingLost(ledger, journals)),
      );
    },
  );

  scenarioTest(
    {
      guarantees: ["G9"],
      proves: ["acknowledged-writes-durable"],
      control: true,
      says: "the lost-writes check flags a set on emptyDir",
    },
    async (s) => {
      const ledger = await writeThroughFaults(s, "emptyDir");
      const journals = await s.probe.journals(replicas);
      await step("assert: the checker flags web-1's lost records (it can fail)", () =>
        s.check.flagged(() => checkNothingLost(ledger, journals), {
          guarantee: "G9",
          seen: /acknowledged record\(s\) missing/,
        }),
      );
    },
  );
});
