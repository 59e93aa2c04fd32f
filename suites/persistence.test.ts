// G9 stable storage and G10 claims kept: each ordinal's own bytes survive pod deletion, scaling
// to 0 and back, and deleting the set (orphaning its pods) then recreating it.
// Negative control: the same set on emptyDir must be flagged.
import { describe, expect } from "@jest/globals";
import type * as k8s from "@kubernetes/client-node";
import { Timeouts } from "../harness/config/timeouts.js";
import { waitFor } from "../harness/kube/watch.js";
import { watchOf } from "../harness/kube/watch-of.js";
import { step } from "../harness/report/step.js";
import { checkOwnData } from "../harness/checks/identity.js";
import { podName } from "../harness/statefulset/naming.js";
import type { Scenario } from "./support/scenario.js";
import { scenarioTest } from "./support/scenario-test.js";

const replicas = 3;

const controllerUid = (p: k8s.V1Pod) => p.metadata?.ownerReferences?.find((o) => o.controller)?.uid;

/** Each pod's UID by name: unchanged UIDs prove pods were adopted, not recreated. */
async function podUids(s: Scenario): Promise<Map<string, string>> {
  const pods = await s.probe.pods();
  return new Map(pods.map((p) => [p.metadata?.name ?? "", p.metadata?.uid ?? ""]));
}

async function writeAll(s: Scenario): Promise<Map<string, string>> {
  return step("arrange: every pod writes its own random payload (fsync) and records its sha256", async () => {
    const written = new Map<string, string>();
    for (let i = 0; i < replicas; i++) written.set(podName(s.set, i), await s.probe.writePayload(i));
    return written;
  });
}

async function deleteAllPods(s: Scenario): Promise<void> {
  const old = new Set((await s.probe.pods()).map((p) => p.metadata?.uid));
  await step("act: delete every pod (graceful)", async () => {
    for (let i = 0; i < replicas; i++) await s.act.deletePod(i);
  });
  await step("observe: all pods replaced and Ready", async () => {
    for (let i = 0; i < replicas; i++) await s.observe.readyPod(i, "replaced", (p) => !old.has(p.metadata?.uid));
  });
}

describe("G9 G10 data persists across rescheduling", () => {
  scenarioTest(
    {
      guarantees: ["G9", "G10"],
      proves: ["data-follows-the-member"],
      says: "each ordinal reads back exactly its own bytes after pod deletion, scale to 0 and back, and set delete (orphan) + recreate",
    },
    async (s) => {
      const set = s.act.webSet({ replicas });
      await step("arrange: an OrderedReady set of 3, Ready", async () => {
        await s.act.create(set);
        await s.observe.readyPods(replicas);
      });
      const written = await writeAll(s);
      expect(new Set(written.values()).size).toBe(replicas);

      await deleteAllPods(s);
      let read = await s.probe.payloads(replicas);
      await step("assert: own bytes after pod deletion", () =>
        s.check.held(() => checkOwnData(written, read, "pod deletion")),
      );

      await step("act: scale to 0, then back to 3", async () => {
        await s.act.scale(0);
        await s.observe.readyPods(0);
        await s.act.scale(replicas);
        await s.observe.readyPods(replicas);
      });
      read = await s.probe.payloads(replicas);
      await step("assert: own bytes after scale 0 -> 3", () =>
        s.check.held(() => checkOwnData(written, read, "scale to 0 and back")),
      );

      const orphans = await podUids(s);
      await step("act: delete the set, orphaning its pods, and create it again", async () => {
        await s.act.deleteSet("Orphan");
        await s.act.create(set, { service: "none" });
        await s.observe.readyPods(replicas);
      });
      await step(
        "observe: the recreated set adopts the orphaned pods (controller ownerReference to its UID)",
        async () => {
          const owner = await s.probe.set();
          await waitFor(s.kube, {
            watch: watchOf.pods(s.kube, s.namespace, s.selector),
            what: "every pod to be adopted by the recreated set",
            timeoutMs: Timeouts.setSettleMs,
            until: (pods) =>
              pods.size === replicas && [...pods.values()].every((p) => controllerUid(p) === owner.metadata?.uid),
            describe: (pods) =>
              [...pods.values()].map((p) => `${p.metadata?.name} owner=${controllerUid(p) ?? "none"}`).join(", "),
          });
        },
      );
      await step("assert: adopted, not recreated: every pod keeps its UID (G8)", async () => {
        expect(await podUids(s)).toEqual(orphans);
      });
      read = await s.probe.payloads(replicas);
      await step("assert: the adopted pods kept their own bytes", () =>
        s.check.held(() => checkOwnData(written, read, "set delete (orphan) and recreate")),
      );
    },
  );

  scenarioTest(
    {
      guarantees: ["G9"],
      proves: ["data-follows-the-member"],
      control: true,
      says: "the data check flags a set on emptyDir",
    },
    async (s) => {
      await step("arrange: a set of 3 on emptyDir, Ready", () => s.readySet({ replicas, dataVolume: "emptyDir" }));
      const written = await writeAll(s);
      await deleteAllPods(s);
      const read = await s.probe.payloads(replicas);
      await s.check.flagged(() => checkOwnData(written, read, "pod deletion"), {
        guarantee: "G9",
        seen: /^no payload$/,
      });
      expect(checkOwnData(written, read, "pod deletion")).toHaveLength(replicas);
    },
  );
});
