// G28 partitioned rolling update: with partition 2 of 3, a new template updates web-2 only (a
// canary), and nothing below the partition changes for a quiet window; a pod below the partition
// that is deleted comes back at the old revision; lowering the partition to 0 rolls out the rest
// in order (G26). Negative control: the canary check flags a set without a partition.
import { describe, expect } from "@jest/globals";
import { Timeouts } from "../harness/config/timeouts.js";
import { step } from "../harness/report/step.js";
import { checkRollingUpdate } from "../harness/checks/updates.js";
import { podName, revisionOf } from "../harness/statefulset/naming.js";
import { quietWindow } from "../harness/timeline/quiet-window.js";
import { scenarioTest } from "./support/scenario-test.js";

const replicas = 3;
const partition = 2;

describe("G28 partitioned rolling update", () => {
  scenarioTest(
    {
      guarantees: ["G28"],
      says: "a canary at partition 2, a pod below it keeps the old revision, then a phased rollout",
    },
    async (s) => {
      await step("arrange: a set of 3 with partition 2, Ready", () => s.readySet({ replicas, partition }));
      const old = revisionOf(await s.observe.readyPod(0, "present", () => true));
      const from = await step("act: roll out a new template", () => s.act.rollOut("v2"));
      const revision = await s.observe.updateRevision();
      await step("observe: web-2 Ready at the new revision", () =>
        s.observe.readyPod(2, `at revision ${revision}`, (p) => revisionOf(p) === revision),
      );
      const below = await step(
        `observe: for ${Timeouts.quietWindowMs / 1000} s, nothing below the partition is replaced`,
        async () =>
          quietWindow(
            s.recorder,
            await s.recorder.markAction("quiet window"),
            Timeouts.quietWindowMs,
            (e) => e.kind === "Pod" && e.pod?.terminating === true && e.name !== podName(s.set, 2),
          ),
      );
      expect(below).toEqual([]);
      await step("assert: only web-2 was replaced (G28), after nothing else (G26)", () =>
        s.check.held(() => checkRollingUpdate(s.recorder.entries, s.set, replicas, revision, from, { partition })),
      );
      await step("act: delete web-1, below the partition", () => s.act.deletePod(1));
      const back = await step("observe: web-1 back Ready", () => s.observe.readyPod(1, "replaced", () => true));
      expect(revisionOf(back)).toBe(old);
      const lowered = await step("act: lower the partition to 0", () => s.act.setPartition(0));
      await step("observe: the rollout completes", () => s.observe.rolloutComplete(replicas));
      await step("assert: web-1 then web-0 replaced, each after the one above was Ready and updated", () =>
        s.check.held(() => checkRollingUpdate(s.recorder.entries, s.set, replicas, revision, lowered)),
      );
    },
  );

  scenarioTest(
    { guarantees: ["G28"], control: true, says: "the canary check flags a set without a partition" },
    async (s) => {
      await step("arrange: a set of 3 without a partition on emptyDir, Ready", () =>
        s.readySet({ replicas, dataVolume: "emptyDir" }),
      );
      const from = await step("act: roll out a new template", () => s.act.rollOut("v2"));
      const revision = await step("observe: the rollout completes", () => s.observe.rolloutComplete(replicas));
      await step("assert: checked as if partition were 2, the checker flags web-1 and web-0 (it can fail)", () =>
        s.check.flagged(() => checkRollingUpdate(s.recorder.entries, s.set, replicas, revision, from, { partition }), {
          guarantee: "G28",
          seen: /replaced$/,
        }),
      );
    },
  );
});
