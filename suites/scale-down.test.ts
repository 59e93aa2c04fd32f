// G15 reverse-order termination, G16 scale-down halts on unhealthy pods, G10 claims are kept on
// scale-down and re-bound on scale-up (OrderedReady). Negative controls: Parallel sets.
import { randomBytes } from "node:crypto";
import { describe, expect } from "@jest/globals";
import { Timeouts } from "../harness/config/timeouts.js";
import { step } from "../harness/report/step.js";
import { checkReverseTermination, terminationOrder } from "../harness/checks/ordering.js";
import { livePods } from "../harness/timeline/replay.js";
import { podName } from "../harness/statefulset/naming.js";
import { quietWindow } from "../harness/timeline/quiet-window.js";
import { claimName } from "../fixtures/web-statefulset.js";
import { dataDir, becomeUnready } from "../fixtures/web-pod.js";
import type { Scenario } from "./support/scenario.js";
import { scenarioTest } from "./support/scenario-test.js";

/** G16's observation: pods that start terminating during a quiet window after scaling an all-unready set to 0. */
async function terminatedWhileUnhealthy(s: Scenario): Promise<string[]> {
  await step("act: make every pod unready", () => s.probe.shAll(3, becomeUnready));
  await step("observe: the controller itself sees no Ready replica", () => s.observe.controllerSeesReady(0));
  const from = await step("act: scale to 0", () => s.act.scale(0));
  const deleted = await step(`observe: for ${Timeouts.quietWindowMs / 1000} s, no pod may start terminating`, () =>
    quietWindow(
      s.recorder,
      from,
      Timeouts.quietWindowMs,
      (e) => e.kind === "Pod" && (e.type === "DELETED" || e.pod?.terminating === true),
    ),
  );
  return [...new Set(deleted.map((e) => e.name))];
}

describe("G15 G16 G10 scale-down (OrderedReady)", () => {
  scenarioTest(
    {
      guarantees: ["G15", "G10"],
      proves: ["claims-kept"],
      says: "scale-down goes from the highest ordinal down, one at a time; claims stay and are re-bound",
    },
    async (s) => {
      const tokens = new Map<number, string>();
      await step("arrange: an OrderedReady set of 3, Ready, each pod with a token on its volume", async () => {
        await s.act.create(s.act.webSet({ replicas: 3 }));
        await s.observe.readyPods(3);
        for (const i of [0, 1, 2]) {
          tokens.set(i, randomBytes(8).toString("hex"));
          await s.probe.sh(i, `echo ${tokens.get(i)} > ${dataDir}/token && sync ${dataDir}/token`);
        }
      });
      const before = await s.probe.claims();
      const from = await step("act: scale to 1", () => s.act.scale(1));
      await step("observe: only web-0 remains", () => s.observe.readyPods(1));
      await step("assert: web-2 went first, and web-1 only after web-2 was completely gone (G15)", async () => {
        await s.check.held(() => checkReverseTermination(s.recorder.entries, s.set, from));
        expect(terminationOrder(s.recorder.entries, s.set, from)).toEqual([podName(s.set, 2), podName(s.set, 1)]);
      });
      await step(
        "assert: the claims of web-1 and web-2 are kept through a quiet window, bound to the same volumes (G10)",
        async () => {
          expect(await s.observe.claimsLostInWindow([claimName(s.set, 1), claimName(s.set, 2)], from)).toEqual([]);
          const after = await s.probe.claims();
          for (const i of [1, 2]) expect(after.get(claimName(s.set, i))).toBe(before.get(claimName(s.set, i)));
        },
      );
      await step("act: scale back to 3", () => s.act.scale(3));
      await step("observe: three pods Ready", () => s.observe.readyPods(3));
      await step("assert: no new claim; web-1 and web-2 re-bound their own volumes, data intact (G10)", async () => {
        expect(await s.probe.claims()).toEqual(before);
        for (const i of [1, 2]) expect((await s.probe.sh(i, `cat ${dataDir}/token`)).trim()).toBe(tokens.get(i));
      });
    },
  );

  scenarioTest(
    { guarantees: ["G15"], control: true, says: "the reverse-order checker flags a Parallel set scaled to 0" },
    async (s) => {
      await step("arrange: a Parallel set of 3 on emptyDir, Ready", () =>
        s.readySet({ replicas: 3, podManagementPolicy: "Parallel", dataVolume: "emptyDir" }),
      );
      const from = await step("act: scale to 0", () => s.act.scale(0));
      await step("observe: no pod left", () => s.observe.readyPods(0));
      await step("assert: the checker reports violations (it can fail)", () =>
        s.check.flagged(() => checkReverseTermination(s.recorder.entries, s.set, from), {
          guarantee: "G15",
          seen: /^still present: /,
        }),
      );
    },
  );

  scenarioTest({ guarantees: ["G16"], says: "scale-down of a set whose pods are all unhealthy halts" }, async (s) => {
    await step("arrange: an OrderedReady set of 3, Ready", () => s.readySet({ replicas: 3 }));
    expect(await terminatedWhileUnhealthy(s)).toEqual([]);
    await step("assert: the recording is live and still holds all three pods (an empty one cannot pass)", async () => {
      expect([...livePods(s.recorder.entries, s.set).keys()].sort()).toEqual([0, 1, 2].map((i) => podName(s.set, i)));
    });
  });

  scenarioTest({ guarantees: ["G16"], control: true, says: "the halt check flags a Parallel set" }, async (s) => {
    await step("arrange: a Parallel set of 3 on emptyDir, Ready", () =>
      s.readySet({ replicas: 3, podManagementPolicy: "Parallel", dataVolume: "emptyDir" }),
    );
    expect((await terminatedWhileUnhealthy(s)).length).toBeGreaterThan(0);
  });
});
