// G29 OnDelete: after a template change the controller replaces nothing by itself (checked over a
// quiet window); a pod the user deletes comes back at the new revision. status.currentRevision is
// reported as observed (upstream: it is not updated under OnDelete), as a note, not a verdict.
// Negative control: the same check flags a RollingUpdate set, which replaces its pods itself.
import { describe, expect } from "@jest/globals";
import { Timeouts } from "../harness/config/timeouts.js";
import { attach, step } from "../harness/report/step.js";
import { revisionOf } from "../harness/statefulset/naming.js";
import { checkNothingReplaced } from "../harness/checks/updates.js";
import { quietWindow } from "../harness/timeline/quiet-window.js";
import { scenarioTest } from "./support/scenario-test.js";

const replicas = 2;

describe("G29 OnDelete", () => {
  scenarioTest(
    {
      guarantees: ["G29"],
      says: "under OnDelete nothing is replaced until deleted; a deleted pod returns at the new revision",
    },
    async (s) => {
      await step("arrange: an OnDelete set of 2, Ready", () => s.readySet({ replicas, updateStrategy: "OnDelete" }));
      const from = await step("act: roll out a new template", () => s.act.rollOut("v2"));
      const revision = await s.observe.updateRevision();
      await step(`observe: a quiet window of ${Timeouts.quietWindowMs / 1000} s`, () =>
        quietWindow(s.recorder, from, Timeouts.quietWindowMs, (e) => e.kind === "Pod" && e.pod?.terminating === true),
      );
      await step("assert: no pod was replaced by the controller", () =>
        s.check.held(() => checkNothingReplaced(s.recorder.entries, s.set, from)),
      );
      await step("act: delete web-1", () => s.act.deletePod(1));
      const back = await step("observe: web-1 back Ready", () =>
        s.observe.readyPod(1, "at the new revision", (p) => revisionOf(p) === revision),
      );
      expect(revisionOf(back)).toBe(revision);
      const status = (await s.probe.set()).status;
      await attach(
        "note: revisions as the controller reports them",
        `currentRevision=${status?.currentRevision} updateRevision=${status?.updateRevision} updatedReplicas=${status?.updatedReplicas}`,
      );
    },
  );

  scenarioTest(
    { guarantees: ["G29"], control: true, says: "the nothing-replaced check flags a RollingUpdate set" },
    async (s) => {
      await step("arrange: a RollingUpdate set of 2 on emptyDir, Ready", () =>
        s.readySet({ replicas, dataVolume: "emptyDir" }),
      );
      const from = await step("act: roll out a new template", () => s.act.rollOut("v2"));
      await step("observe: the rollout completes", () => s.observe.rolloutComplete(replicas));
      await step("assert: the checker flags the controller's replacements (it can fail)", () =>
        s.check.flagged(() => checkNothingReplaced(s.recorder.entries, s.set, from), {
          guarantee: "G29",
          seen: /started terminating$/,
        }),
      );
    },
  );
});
