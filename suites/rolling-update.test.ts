// G26 rolling update (RollingUpdate, partition 0): a template change replaces the pods from the
// highest ordinal down, one at a time, each old pod only after the one above is Running, Ready
// and at the new revision; at the end currentRevision == updateRevision and every replica is
// updated. Negative control: an OnDelete set whose pods the test deletes from web-0 up.
import { describe, expect } from "@jest/globals";
import { step } from "../harness/report/step.js";
import { revisionOf } from "../harness/statefulset/naming.js";
import { checkRollingUpdate } from "../harness/checks/updates.js";
import { scenarioTest } from "./support/scenario-test.js";

const replicas = 3;

describe("G26 rolling update", () => {
  scenarioTest(
    { guarantees: ["G26"], says: "a new template replaces web-2, web-1, web-0, each after the one above is Ready" },
    async (s) => {
      await step("arrange: an OrderedReady set of 3 (RollingUpdate), Ready", () => s.readySet({ replicas }));
      const from = await step("act: roll out a new template", () => s.act.rollOut("v2"));
      const revision = await step("observe: the rollout completes (currentRevision == updateRevision)", () =>
        s.observe.rolloutComplete(replicas),
      );
      await step("assert: replaced from the highest ordinal down, each after the one above was Ready and updated", () =>
        s.check.held(() => checkRollingUpdate(s.recorder.entries, s.set, replicas, revision, from)),
      );
    },
  );

  scenarioTest(
    { guarantees: ["G26"], control: true, says: "the rollout check flags an OnDelete set deleted from web-0 up" },
    async (s) => {
      await step("arrange: an OnDelete set of 3 on emptyDir, Ready", () =>
        s.readySet({ replicas, updateStrategy: "OnDelete", dataVolume: "emptyDir" }),
      );
      const from = await step("act: roll out a new template", () => s.act.rollOut("v2"));
      const revision = await s.observe.updateRevision();
      for (let i = 0; i < replicas; i++) {
        const old = revisionOf(await s.observe.readyPod(i, "present", () => true));
        expect(old).not.toBe(revision); // OnDelete: nothing was replaced by itself
        await step(`act: delete web-${i}`, () => s.act.deletePod(i));
        await step(`observe: web-${i} back Ready at the new revision`, () =>
          s.observe.readyPod(i, `at revision ${revision}`, (p) => revisionOf(p) === revision),
        );
      }
      await step("assert: the checker flags the ascending order (it can fail)", () =>
        s.check.flagged(() => checkRollingUpdate(s.recorder.entries, s.set, replicas, revision, from), {
          guarantee: "G26",
          seen: /rev=|absent/,
        }),
      );
    },
  );
});
