// G30 broken update and forced rollback (OrderedReady, RollingUpdate). A template whose pods never
// become Ready halts the rollout at the first updated pod (web-2) and nothing below it is
// replaced. Rolling back through the ControllerRevision returns the previous revision hash. The
// documented contract (docs "Forced rollback", k/k#67250): reverting is not enough, the stuck pod
// must be deleted; what this cluster did after the rollback alone is reported with its version,
// as a note. After the forced rollback the set is whole again at the original revision.
// Negative control: a good template's rollout, checked as if it had to halt, is flagged.
import { describe, expect } from "@jest/globals";
import { Timeouts } from "../harness/config/timeouts.js";
import { isReady } from "../harness/kube/pods.js";
import { attach, step } from "../harness/report/step.js";
import { podName, revisionOf } from "../harness/statefulset/naming.js";
import type { TimelineEntry } from "../harness/timeline/entry.js";
import { checkNothingReplaced } from "../harness/checks/updates.js";
import { quietWindow } from "../harness/timeline/quiet-window.js";
import { scenarioTest } from "./support/scenario-test.js";

const replicas = 3;
const top = podName("web", replicas - 1);
const halted = {
  guarantee: "G30",
  expected: `no pod but ${top} replaced while ${top} is not Ready`,
  except: [top],
};

const replaced = (e: TimelineEntry) => e.kind === "Pod" && e.pod?.terminating === true;

describe("G30 broken update and rollback", () => {
  scenarioTest(
    {
      guarantees: ["G30"],
      says: "a never-Ready template halts the rollout at web-2; rolled back, web-2 deleted, the set recovers",
    },
    async (s) => {
      const original = await step("arrange: an OrderedReady set of 3 (RollingUpdate), Ready", async () => {
        await s.readySet({ replicas });
        return s.observe.updateRevision();
      });
      const from = await step("act: roll out a template whose pods never become Ready", () =>
        s.act.rollOut("broken", { neverReady: true }),
      );
      const bad = await s.observe.updateRevision();
      await step(
        `observe: web-2 Running at the bad revision, then a ${Timeouts.quietWindowMs / 1000} s window`,
        async () => {
          await s.observe.pod(
            2,
            `Running at revision ${bad}`,
            (p) => revisionOf(p) === bad && p.status?.phase === "Running",
          );
          await quietWindow(
            s.recorder,
            await s.recorder.markAction("web-2 runs the bad template"),
            Timeouts.quietWindowMs,
            replaced,
          );
        },
      );
      await step("assert: the rollout halted at web-2: nothing else was replaced", () =>
        s.check.held(() => checkNothingReplaced(s.recorder.entries, s.set, from, halted)),
      );
      const rolledBack = await step(`act: roll back to revision ${original}`, () => s.act.rollBack(original));
      await step(
        "assert: the rollback returns the previous revision hash (the ControllerRevision is reused)",
        async () => expect(await s.observe.updateRevision()).toBe(original),
      );
      await step("observe: what web-2 does after the rollback alone (reported, not judged)", async () => {
        await quietWindow(s.recorder, rolledBack, Timeouts.quietWindowMs, replaced);
        const pod = await s.probe.pod(top);
        const stillStuck = pod !== undefined && revisionOf(pod) === bad && !isReady(pod);
        await attach(
          "note: the rollback alone, on this cluster",
          `Kubernetes ${await s.probe.serverVersion()}: ${Timeouts.quietWindowMs / 1000} s after the rollback ` +
            (stillStuck
              ? `${top} was still at the bad revision ${bad}, not Ready: as documented, reverting is not enough`
              : `${top} was no longer stuck at the bad revision: the controller replaced it itself (documented: it does not)`),
        );
      });
      await step("act: the documented forced rollback: delete web-2", () => s.act.deletePod(2));
      const revision = await step("observe: the rollout completes", () => s.observe.rolloutComplete(replicas));
      expect(revision).toBe(original);
      await step("assert: over the whole test nothing but web-2 was replaced", () =>
        s.check.held(() => checkNothingReplaced(s.recorder.entries, s.set, from, halted)),
      );
    },
  );

  scenarioTest(
    { guarantees: ["G30"], control: true, says: "the halt check flags a good template's rollout" },
    async (s) => {
      await step("arrange: an OrderedReady set of 3 (RollingUpdate) on emptyDir, Ready", () =>
        s.readySet({ replicas, dataVolume: "emptyDir" }),
      );
      const from = await step("act: roll out a good template", () => s.act.rollOut("v2"));
      await step("observe: the rollout completes", () => s.observe.rolloutComplete(replicas));
      await step("assert: the checker flags web-1 and web-0 replaced (it can fail)", () =>
        s.check.flagged(() => checkNothingReplaced(s.recorder.entries, s.set, from, halted), {
          guarantee: "G30",
          seen: /started terminating$/,
        }),
      );
    },
  );
});
