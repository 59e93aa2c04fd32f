// G34 status and G35 the scale subresource: after a scale through /scale, once the controller has
// observed it, the set's status counts what the timeline shows of its pods (created, Ready,
// available, at each revision), and /scale reports the replicas and the set's selector.
// Negative control: a status written through /status (G36) that miscounts the Ready pods.
import { describe } from "@jest/globals";
import type * as k8s from "@kubernetes/client-node";
import { withRetry } from "../harness/kube/retry.js";
import { step } from "../harness/report/step.js";
import { checkStatus } from "../harness/checks/status.js";
import { livePods } from "../harness/timeline/replay.js";
import type { Scenario } from "./support/scenario.js";
import { scenarioTest } from "./support/scenario-test.js";

const readScale = (s: Scenario) => s.probe.scale();

/** The status check over `set`, the scale subresource and the pods the timeline shows (after it caught up). */
const statusOf = (s: Scenario, set: k8s.V1StatefulSet, scale: k8s.V1Scale) => () =>
  checkStatus(set, scale, [...livePods(s.recorder.entries, s.set).values()], s.selector);

describe("G34 G35 status and scale", () => {
  scenarioTest(
    { guarantees: ["G34", "G35"], says: "after a scale through /scale the status and the scale count the pods" },
    async (s) => {
      await step("arrange: an OrderedReady set of 3, Ready", () => s.readySet({ replicas: 3 }));
      await step("act: scale to 4 through the scale subresource", () => s.act.scale(4));
      await step("observe: 4 Ready, and the controller says so", async () => {
        await s.observe.readyPods(4);
        await s.observe.controllerSeesReady(4);
      });
      await step("assert: status and scale agree with the timeline", async () => {
        const [set, scale] = await Promise.all([s.probe.set(), readScale(s)]);
        await s.check.held(statusOf(s, set, scale));
      });
    },
  );

  scenarioTest(
    { guarantees: ["G34"], control: true, says: "the status check flags a status written with a wrong ready count" },
    async (s) => {
      await step("arrange: an OrderedReady set of 2 on emptyDir, Ready, and the controller says so", async () => {
        await s.readySet({ replicas: 2, dataVolume: "emptyDir" });
        await s.observe.controllerSeesReady(2);
      });
      const lying = await step("act: write a status with 1 Ready of 2 through /status", () =>
        withRetry(async () => {
          const body = await s.probe.set();
          // Consistent in itself (the API validates available <= ready), wrong about the pods.
          if (body.status) Object.assign(body.status, { readyReplicas: 1, availableReplicas: 1 });
          return s.kube.apps.replaceNamespacedStatefulSetStatus({ namespace: s.namespace, name: s.set, body });
        }),
      );
      await step("assert: the checker flags the written status (it can fail)", async () =>
        s.check.flagged(statusOf(s, lying, await readScale(s)), { guarantee: "G34", seen: /^1$/ }),
      );
    },
  );
});
