// G33 revision history: each template gets a ControllerRevision owned by the set; old revisions
// beyond revisionHistoryLimit are deleted, oldest first. Negative control: a set with the default
// limit (10), checked against the same limit, is flagged for the revisions it rightly keeps.
import { describe } from "@jest/globals";
import { step } from "../harness/report/step.js";
import { checkRevisionHistory } from "../harness/checks/revision-history.js";
import type { Scenario } from "./support/scenario.js";
import { scenarioTest } from "./support/scenario-test.js";

// As the titles say (titles are plain strings, so that --list and --focus can read them).
const limit = 2;
const rollouts = 4;

/** Rolls out `rollouts` templates one after another, each complete before the next. */
async function rollOutSeveral(s: Scenario): Promise<void> {
  for (let i = 1; i <= rollouts; i++) {
    await step(`act: roll out template v${i + 1}`, () => s.act.rollOut(`v${i + 1}`));
    await step(`observe: template v${i + 1} rolled out`, () => s.observe.rolloutComplete(1));
  }
}

describe("G33 revision history", () => {
  scenarioTest(
    { guarantees: ["G33"], says: "with revisionHistoryLimit 2, 4 rollouts keep the 2 newest old revisions" },
    async (s) => {
      await step(`arrange: a set of 1 with revisionHistoryLimit ${limit}, Ready`, () =>
        s.readySet({ replicas: 1, revisionHistoryLimit: limit }),
      );
      await rollOutSeveral(s);
      await step("assert: the newest old revisions up to the limit are kept, all owned by the set", async () => {
        const { kept, live } = await s.observe.revisionsTruncated(limit);
        await s.check.held(() => checkRevisionHistory(kept, live, limit));
      });
    },
  );

  scenarioTest(
    { guarantees: ["G33"], control: true, says: "the history check flags a set without the limit (4 rollouts)" },
    async (s) => {
      await step("arrange: a set of 1 with the default revisionHistoryLimit (10) on emptyDir, Ready", () =>
        s.readySet({ replicas: 1, dataVolume: "emptyDir" }),
      );
      await rollOutSeveral(s);
      await step(`assert: the checker flags the old revisions beyond ${limit} (it can fail)`, async () => {
        const { kept, live } = await s.probe.revisions();
        await s.check.flagged(() => checkRevisionHistory(kept, live, limit), {
          guarantee: "G33",
          seen: /^old revisions /,
        });
      });
    },
  );
});
