// G2 start ordinal (`.spec.ordinals.start`): a set starting at 5 names its pods web-5, web-6,
// web-7 and creates them in that order, each after the one before is Ready (G13 from the start);
// lowering the start to 3 adds web-3 and web-4 in order and removes web-7 then web-6 from the top;
// raising it to 4 adds web-6 once web-4 and web-5 are Ready and removes web-3.
// Negative control: the naming check, expecting a start of 5, flags a set without one.
import { describe, expect } from "@jest/globals";
import { step } from "../harness/report/step.js";
import {
  checkOrderedCreation,
  checkOrdinalNames,
  creationOrder,
  terminationOrder,
} from "../harness/checks/ordering.js";
import type { Scenario } from "./support/scenario.js";
import { scenarioTest } from "./support/scenario-test.js";

const replicas = 3;
const start = 5;

/** Moves the set's start ordinal (an accepted update); returns the mark the move starts at. */
async function moveStart(s: Scenario, to: number): Promise<number> {
  const from = s.recorder.mark(`from here: the start moved to ${to}`);
  const outcome = await step(`act: move the start to ${to}`, () =>
    s.act.tryUpdate("spec.ordinals.start", (set) => {
      if (set.spec) set.spec.ordinals = { start: to };
    }),
  );
  expect(outcome.code).toBe(200);
  return from;
}

describe("G2 start ordinal", () => {
  scenarioTest(
    {
      guarantees: ["G2"],
      says: "a set starting at ordinal 5 makes web-5..web-7 in order; lowering and raising the start move the range",
    },
    async (s) => {
      const from = await step(`arrange: an OrderedReady set of 3 starting at ${start}`, () =>
        s.act.create(s.act.webSet({ replicas, ordinalsStart: start })),
      );
      await step("observe: web-5, web-6, web-7 Running and Ready", () => s.observe.readyPods(replicas, start));
      await step("assert: named from the start and created in order, each after the one before was Ready", async () => {
        await s.check.held(() => checkOrdinalNames(s.recorder.entries, s.set, replicas, from, start));
        await s.check.held(() => checkOrderedCreation(s.recorder.entries, s.set, from, start));
        expect(creationOrder(s.recorder.entries, s.set, from)).toEqual(["web-5", "web-6", "web-7"]);
      });
      const lowered = await moveStart(s, 3);
      await step("observe: web-3, web-4, web-5 Running and Ready", () => s.observe.readyPods(replicas, 3));
      await step("assert: web-3 then web-4 created; web-7 then web-6 removed", async () => {
        expect(creationOrder(s.recorder.entries, s.set, lowered)).toEqual(["web-3", "web-4"]);
        expect(terminationOrder(s.recorder.entries, s.set, lowered)).toEqual(["web-7", "web-6"]);
      });
      const raised = await moveStart(s, 4);
      await step("observe: web-4, web-5, web-6 Running and Ready", () => s.observe.readyPods(replicas, 4));
      await step("assert: web-6 created after web-4 and web-5 were Ready; web-3 removed", async () => {
        await s.check.held(() => checkOrderedCreation(s.recorder.entries, s.set, raised, 4));
        expect(creationOrder(s.recorder.entries, s.set, raised)).toEqual(["web-6"]);
        expect(terminationOrder(s.recorder.entries, s.set, raised)).toEqual(["web-3"]);
      });
    },
  );

  scenarioTest(
    { guarantees: ["G2"], control: true, says: "the naming check, expecting a start of 5, flags a set without one" },
    async (s) => {
      const from = await step("arrange: an OrderedReady set of 3 on emptyDir, no start", () =>
        s.act.create(s.act.webSet({ replicas, dataVolume: "emptyDir" })),
      );
      await step("observe: web-0..web-2 Ready", () => s.observe.readyPods(replicas));
      await step("assert: the checker flags every pod's name (it can fail)", () =>
        s.check.flagged(() => checkOrdinalNames(s.recorder.entries, s.set, replicas, from, start), {
          guarantee: "G2",
          seen: /-\d+$/,
        }),
      );
    },
  );
});
