// G32 minReadySeconds: under OrderedReady each pod is created only after its predecessor has been
// Ready (Available) for minReadySeconds, and status.availableReplicas follows. Negative control:
// the same check, expecting 5 s, flags a set without minReadySeconds.
import { describe, expect } from "@jest/globals";
import { waitForSet } from "../harness/kube/statefulsets.js";
import { step } from "../harness/report/step.js";
import { checkMinReadySeconds } from "../harness/timeline/invariants.js";
import { scenarioTest } from "./support/scenario-test.js";

const replicas = 3;
const minReadySeconds = 5;

describe("G32 minReadySeconds", () => {
  scenarioTest("G32: each pod is created only after its predecessor was Ready for minReadySeconds", async (s) => {
    const from = await step(`arrange: an OrderedReady set of 3 with minReadySeconds ${minReadySeconds}`, () =>
      s.act.create(s.act.webSet({ replicas, minReadySeconds })),
    );
    await step("observe: all three Ready", () => s.observe.readyPods(replicas));
    const set = await step("observe: all three Available (status.availableReplicas)", () =>
      waitForSet(
        s.kube,
        s.namespace,
        s.set,
        `availableReplicas=${replicas}`,
        (x) => x.status?.availableReplicas === replicas,
      ),
    );
    expect(set.status?.availableReplicas).toBe(replicas);
    await step(`assert: web-1 and web-2 each created ≥ ${minReadySeconds} s after the one before was Ready`, () =>
      s.check.held(() => checkMinReadySeconds(s.recorder.entries, s.set, replicas, minReadySeconds, from)),
    );
  });

  scenarioTest("G32 negative control: the check flags a set without minReadySeconds", async (s) => {
    const from = await step("arrange: an OrderedReady set of 3, minReadySeconds 0", () =>
      s.act.create(s.act.webSet({ replicas })),
    );
    await step("observe: all three Ready", () => s.observe.readyPods(replicas));
    await step(`assert: checked against ${minReadySeconds} s, the checker flags the pods (it can fail)`, () =>
      s.check.flagged(() => checkMinReadySeconds(s.recorder.entries, s.set, replicas, minReadySeconds, from)),
    );
  });
});
