// G1 ordinal naming, G13 ordered creation, G14 scale-up halts on an unhealthy pod
// (podManagementPolicy OrderedReady). Negative controls: the same checks must flag a Parallel set.
import { describe, expect } from "@jest/globals";
import { Timeouts } from "../harness/config/timeouts.js";
import { step } from "../harness/report/step.js";
import { checkOrderedCreation, checkOrdinalNames, creationOrder } from "../harness/checks/ordering.js";
import { quietWindow } from "../harness/timeline/quiet-window.js";
import { podName } from "../harness/statefulset/naming.js";
import { becomeUnready, becomeReady } from "../fixtures/web-pod.js";
import type { Scenario } from "./support/scenario.js";
import { scenarioTest } from "./support/scenario-test.js";

/** G14's observation: pods created during a quiet window while web-1 is unready. */
async function createdWhileUnready(s: Scenario): Promise<string[]> {
  await step("act: make web-1 unready (readiness flag), without restarting it", () => s.probe.sh(1, becomeUnready));
  await step("observe: the controller itself sees only one Ready replica", () => s.observe.controllerSeesReady(1));
  const from = await step("act: scale to 3", () => s.act.scale(3));
  const created = await step(`observe: for ${Timeouts.quietWindowMs / 1000} s, no new pod may be created`, () =>
    quietWindow(s.recorder, from, Timeouts.quietWindowMs, (e) => e.kind === "Pod" && e.type === "ADDED"),
  );
  return created.map((e) => e.name);
}

describe("G1 G13 G14 ordered creation (OrderedReady)", () => {
  scenarioTest(
    {
      guarantees: ["G1", "G13"],
      says: "pods are created as web-0..web-2, each only after its predecessor is Running and Ready",
    },
    async (s) => {
      const from = await step("arrange: headless Service and an OrderedReady set of 3", () =>
        s.act.create(s.act.webSet({ replicas: 3 })),
      );
      await step("observe: web-0, web-1, web-2 Running and Ready", () => s.observe.readyPods(3));
      await step("assert: named web-0..web-2 and created in ordinal order (G1)", async () => {
        await s.check.held(() => checkOrdinalNames(s.recorder.entries, s.set, 3, from));
        expect(creationOrder(s.recorder.entries, s.set, from)).toEqual(["web-0", "web-1", "web-2"]);
      });
      await step("assert: each after its predecessor was Ready, never two pods unready at once (G13)", () =>
        s.check.held(() => checkOrderedCreation(s.recorder.entries, s.set, from)),
      );
    },
  );

  scenarioTest(
    { guarantees: ["G14"], says: "scale-up halts while a pod is unready and resumes in order when it recovers" },
    async (s) => {
      await step("arrange: an OrderedReady set of 2, Ready", () => s.readySet({ replicas: 2 }));
      expect(await createdWhileUnready(s)).toEqual([]);
      const recovered = await step("act: make web-1 ready again", async () => {
        const mark = await s.recorder.markAction("web-1 ready again");
        await s.probe.sh(1, becomeReady);
        return mark;
      });
      await step("observe: web-2 is created and all three are Ready", () => s.observe.readyPods(3));
      await step("assert: web-2 was created only after web-1 was Ready again (G13)", async () => {
        expect(creationOrder(s.recorder.entries, s.set, recovered)).toEqual([podName(s.set, 2)]);
        await s.check.held(() => checkOrderedCreation(s.recorder.entries, s.set, recovered));
      });
    },
  );

  scenarioTest(
    { guarantees: ["G13"], control: true, says: "the ordered-creation checker flags a Parallel set" },
    async (s) => {
      const from = await step("arrange: a Parallel set of 3 on emptyDir (burst creation)", () =>
        s.act.create(s.act.webSet({ replicas: 3, podManagementPolicy: "Parallel", dataVolume: "emptyDir" })),
      );
      await step("observe: all three Ready", () => s.observe.readyPods(3));
      await step("assert: the checker reports violations (it can fail)", () =>
        s.check.flagged(() => checkOrderedCreation(s.recorder.entries, s.set, from), {
          guarantee: "G13",
          seen: /NotReady|absent|not Ready/,
        }),
      );
    },
  );

  scenarioTest(
    { guarantees: ["G14"], control: true, says: "the halt check flags a Parallel set scaling past an unready pod" },
    async (s) => {
      await step("arrange: a Parallel set of 2 on emptyDir, Ready", () =>
        s.readySet({ replicas: 2, podManagementPolicy: "Parallel", dataVolume: "emptyDir" }),
      );
      expect(await createdWhileUnready(s)).toEqual([podName(s.set, 2)]);
    },
  );

  scenarioTest(
    { guarantees: ["G1"], control: true, says: "the naming checker flags the same pods run by a Deployment" },
    async (s) => {
      const from = await step("arrange: a Deployment with the set's labels and template, 3 replicas", () =>
        s.act.createDeployment(3),
      );
      await step("observe: three Ready pods", () => s.observe.readyCount(3));
      await step("assert: the checker flags every pod's name (it can fail)", () =>
        s.check.flagged(() => checkOrdinalNames(s.recorder.entries, s.set, 3, from), { guarantee: "G1", seen: /\S/ }),
      );
    },
  );
});
