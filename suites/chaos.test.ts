// Chaos: a seeded sequence of faults, one at a time, while a writer appends to every member. Each
// fault is followed by recovery (every member Ready and acknowledging writes again), timed against
// its budget. Over the whole run: no acknowledged write lost (G9), and no member replaced while
// its node was cut off (G23). By default one round, every kind once (what npm test runs); the
// nightly job sets a duration and the run goes on down the same sequence until it is up.
// Results: a table per fault kind, JUnit per iteration, JSON lines appended to
// STS_CHAOS_HISTORY, a Prometheus textfile.
// Negative control: the same run on emptyDir, its members slow to start, is flagged for both.
import { describe } from "@jest/globals";
import { setting } from "../harness/config/settings.js";
import { Timeouts } from "../harness/config/timeouts.js";
import { scopeOf } from "../harness/chaos/catalogue.js";
import { attach, step } from "../harness/report/step.js";
import {
  everyKindMade,
  g23Exercised,
  iterationProblems,
  recoveriesTimedAtLeast,
  writeResults,
} from "./support/chaos-results.js";
import { chaosRun, everyKindRuns, holdMs, kindsToRun } from "./support/chaos-run.js";
import { scenarioTest } from "./support/scenario-test.js";
import type { ChaosPlan } from "../harness/chaos/options.js";
import type { Scenario } from "./support/scenario.js";

describe("Chaos: seeded faults while a workload writes", () => {
  const asked = setting("chaosFaults");
  const plan: ChaosPlan = {
    seed: setting("chaosSeed"),
    faults: kindsToRun(asked),
    durationMs: setting("chaosDuration"),
    budgets: setting("chaosBudget"),
  };
  /** Every kind once, each held (past an eviction) or recovering for up to its budget: the most a round can take. */
  const roundMs = plan.faults.reduce(
    (ms, k) => ms + plan.budgets[k] * 1000 + holdMs + (scopeOf[k] === "node" ? Timeouts.nodeLossEvictionMs : 0),
    0,
  );
  const timeoutMs = Math.max(plan.durationMs, roundMs) * 1.5 + Timeouts.clusterTestMs;
  /** G23 is claimed only by a run that cuts nodes off; one with member faults alone is the other test. */
  const nodeFaults = plan.faults.some((k) => scopeOf[k] === "node");
  const runnable = everyKindRuns(asked);
  const otherTest = (holds: boolean, instead: string) => ({
    holds: runnable.holds && holds,
    reason: runnable.holds ? instead : runnable.reason,
    ...(runnable.holds ? { standIn: true as const } : {}),
  });

  async function chaosCheck(s: Scenario): Promise<void> {
    const run = await chaosRun(s, plan, { dataVolume: "claim" });
    writeResults(run.result); // a run cut short reports what it did, then fails as inconclusive
    if (!run.finished) {
      const lost = run.lost;
      if (lost) await step("assert: nothing acknowledged lost in the run cut short", () => s.check.held(() => lost));
      throw run.cutShort;
    }
    await step("assert: every acknowledged write on its member's volume, once, in order", () =>
      s.check.held(() => run.lost),
    );
    await step("assert: every fault recovered within budget, no member replaced while cut off", () =>
      s.check.held(() => iterationProblems(run.result)),
    );
    await step("assert: every fault kind asked was made at least once", async () =>
      everyKindMade(run.result, plan.faults),
    );
    if (nodeFaults)
      await step("assert: G23 decided in every node-fault window, and members evicted in them", async () =>
        attach("G23 exercised", g23Exercised(run.result)),
      );
  }

  scenarioTest(
    {
      mode: "chaos",
      guarantees: ["G9", "G23"],
      proves: ["writes-survive-node-faults"],
      needs: ["fault-choice"],
      says: "seeded faults one at a time; nothing acknowledged lost, no member replaced while its node was cut off (members evicted in the window), each recovered within budget",
    },
    {
      timeoutMs,
      runIf: otherTest(nodeFaults, "this run's --faults cut no node off: the member-faults test runs instead"),
    },
    chaosCheck,
  );

  scenarioTest(
    {
      mode: "chaos",
      guarantees: ["G9"],
      needs: ["fault-choice"],
      says: "seeded member faults alone, one at a time; nothing acknowledged lost, each recovered within budget",
    },
    { timeoutMs, runIf: otherTest(!nodeFaults, "this run cuts nodes off: the G9 G23 test runs instead") },
    chaosCheck,
  );

  scenarioTest(
    {
      mode: "chaos",
      guarantees: ["G9"],
      proves: ["writes-survive-node-faults"],
      control: true,
      says: "a run on emptyDir whose members start slower than their budget is flagged for lost writes and budget",
    },
    async (s) => {
      // A budget a plain pod delete meets (it recovers in about 2 s), on members that are Ready
      // only 12 s after each start: the recovery is over budget only if it is timed to their return.
      const slowStartS = 12;
      const budgets = { ...plan.budgets, "pod-delete": slowStartS / 2 };
      const control = { seed: 42, faults: ["pod-delete" as const], durationMs: 0, budgets };
      const run = await chaosRun(s, control, { dataVolume: "emptyDir", readyAfterS: slowStartS });
      if (!run.finished) throw run.cutShort;
      await step("assert: the deleted member's acknowledged writes are flagged lost (the check can fail)", () =>
        s.check.flagged(() => run.lost, { guarantee: "G9", seen: /acknowledged record\(s\) missing/ }),
      );
      await step(
        `assert: the recovery is flagged over budget, timed to at least the ${slowStartS} s start`,
        async () => {
          await s.check.flagged(() => iterationProblems(run.result), {
            guarantee: "recovery budget",
            seen: /over budget/,
          });
          recoveriesTimedAtLeast(run.result, slowStartS * 1000);
        },
      );
    },
  );
});
