// G31 maxUnavailable (RollingUpdate; the MaxUnavailableStatefulSet gate, beta and on by default
// in v1.37, off in v1.35.4-v1.36, is on in the suite's kind cluster; elsewhere these tests are
// skipped with the reason when it is off).
// A Parallel set of 4 with maxUnavailable 2 rolls out two pods at a time and never has more than
// 2 unavailable; a faulty revision followed at once by a good one converges (k/k#137409, the 2026
// regression that turned the gate off again in v1.35.4). Negative control: maxUnavailable 3,
// checked against 2.
import { describe } from "@jest/globals";
import { Timeouts } from "../harness/config/timeouts.js";
import { WaitTimeout } from "../harness/kube/watch.js";
import { attach, step } from "../harness/report/step.js";
import { checkMaxUnavailable } from "../harness/checks/availability.js";
import { GuaranteeBroken, Inconclusive } from "../harness/verdict/verdict.js";
import { maxUnavailableKept } from "./support/cluster-features.js";
import type { Scenario } from "./support/scenario.js";
import { scenarioTest } from "./support/scenario-test.js";

const replicas = 4;
const maxUnavailable = 2;
const gate = await maxUnavailableKept();

/** Arrange: a Parallel set of 4 with `allowed` maxUnavailable, Ready, whose spec kept the field. */
async function readyParallelSet(s: Scenario, allowed: number): Promise<void> {
  await s.readySet({ replicas, podManagementPolicy: "Parallel", maxUnavailable: allowed });
  const kept = (await s.probe.set()).spec?.updateStrategy?.rollingUpdate?.maxUnavailable;
  if (kept !== allowed)
    throw new Inconclusive(`the API server kept maxUnavailable=${kept}, not ${allowed}: ${gate.reason}`);
}

/**
 * Observe: the rollout completes. Not within the settle timeout although the controller has seen
 * the latest template is the regression itself (pods never updated), so BROKEN, with the status.
 */
async function converges(s: Scenario): Promise<void> {
  try {
    await s.observe.rolloutComplete(replicas);
  } catch (e) {
    if (!(e instanceof WaitTimeout)) throw e;
    const set = await s.probe.set();
    if ((set.status?.observedGeneration ?? 0) < (set.metadata?.generation ?? 0)) throw e;
    const st = set.status;
    throw new GuaranteeBroken(
      `G31: the rollout did not converge although the controller saw the good template: updatedReplicas=` +
        `${st?.updatedReplicas ?? 0} readyReplicas=${st?.readyReplicas ?? 0} of ${replicas}, currentRevision=` +
        `${st?.currentRevision} updateRevision=${st?.updateRevision} after ${Timeouts.setSettleMs / 1000} s`,
    );
  }
}

describe("G31 maxUnavailable", () => {
  scenarioTest(
    {
      guarantees: ["G31"],
      needs: ["feature-gate"],
      says: "with maxUnavailable 2 a Parallel set of 4 rolls out two pods at a time, never more than 2 unavailable",
    },
    { runIf: gate },
    async (s) => {
      await step("arrange: a Parallel set of 4 with maxUnavailable 2, Ready", () =>
        readyParallelSet(s, maxUnavailable),
      );
      const from = await step("act: roll out a new template", () => s.act.rollOut("v2"));
      await step("observe: the rollout completes", () => s.observe.rolloutComplete(replicas));
      await step("assert: at most 2 unavailable at any moment, and 2 at once at some moment", async () => {
        const r = checkMaxUnavailable(s.recorder.entries, s.set, replicas, maxUnavailable, from);
        await attach("peak", `at most ${r.peak} of ${replicas} pods unavailable at once`);
        await s.check.held(() => checkMaxUnavailable(s.recorder.entries, s.set, replicas, maxUnavailable, from));
      });
    },
  );

  scenarioTest(
    {
      guarantees: ["G31"],
      needs: ["feature-gate"],
      says: "a faulty revision followed at once by a good one converges, never more than 2 unavailable",
    },
    { runIf: gate },
    async (s) => {
      await step("arrange: a Parallel set of 4 with maxUnavailable 2, Ready", () =>
        readyParallelSet(s, maxUnavailable),
      );
      const from = await step("act: roll out a never-Ready template, then at once a good one", async () => {
        const mark = await s.act.rollOut("faulty", { neverReady: true });
        await s.act.rollOut("good");
        return mark;
      });
      await step("observe: the rollout of the good template completes", () => converges(s));
      await step("assert: never more than 2 unavailable", () =>
        s.check.held(() => {
          const r = checkMaxUnavailable(s.recorder.entries, s.set, replicas, maxUnavailable, from);
          return { violations: r.violations.filter((v) => v.seq !== undefined), gaps: r.gaps }; // gaps kept
        }),
      );
    },
  );

  scenarioTest(
    {
      guarantees: ["G31"],
      control: true,
      needs: ["feature-gate"],
      says: "the check flags maxUnavailable 3 when 2 is the limit",
    },
    { runIf: gate },
    async (s) => {
      await step("arrange: a Parallel set of 4 with maxUnavailable 3, Ready", () => readyParallelSet(s, 3));
      const from = await step("act: roll out a new template", () => s.act.rollOut("v2"));
      await step("observe: the rollout completes", () => s.observe.rolloutComplete(replicas));
      await step("assert: the checker flags 3 unavailable at once (it can fail)", () =>
        s.check.flagged(() => checkMaxUnavailable(s.recorder.entries, s.set, replicas, maxUnavailable, from), {
          guarantee: "G31",
          seen: /^\d+ unavailable: /,
        }),
      );
    },
  );
});
