// G38 what may not change: updates to a set's selector, volumeClaimTemplates and serviceName are
// rejected by the API server because those fields are immutable (each change is otherwise valid,
// so the rejection has that reason and no other). Negative control: the same check flags updates
// of fields that may change (replicas, minReadySeconds), which the API accepts.
import { describe } from "@jest/globals";
import { step } from "../harness/report/step.js";
import { checkRejectedAsImmutable } from "../harness/checks/update-rules.js";
import { scenarioTest } from "./support/scenario-test.js";

describe("G38 immutable fields", () => {
  scenarioTest(
    {
      guarantees: ["G38"],
      says: "updates of selector, volumeClaimTemplates and serviceName are rejected as immutable",
    },
    async (s) => {
      await step("arrange: a set of 1, Ready", () => s.readySet({ replicas: 1 }));
      const outcomes = await step("act: try to change each immutable field, one at a time", async () => [
        await s.act.tryUpdate("spec.selector", (set) => {
          // Selector and template labels change together: a valid change but for immutability.
          const template = set.spec?.template.metadata;
          if (!set.spec || !template) return;
          set.spec.selector.matchLabels = { ...set.spec.selector.matchLabels, tier: "web" };
          template.labels = { ...template.labels, tier: "web" };
        }),
        await s.act.tryUpdate("spec.volumeClaimTemplates", (set) => {
          const claim = set.spec?.volumeClaimTemplates?.[0];
          if (claim?.spec?.resources) claim.spec.resources.requests = { storage: "32Mi" };
        }),
        await s.act.tryUpdate("spec.serviceName", (set) => {
          if (set.spec) set.spec.serviceName = `${set.spec.serviceName}-other`;
        }),
      ]);
      await step("assert: each rejected (422) because the field is immutable", () =>
        s.check.held(() => checkRejectedAsImmutable(outcomes)),
      );
    },
  );

  scenarioTest(
    {
      guarantees: ["G38"],
      control: true,
      says: "the rejection check flags updates of mutable fields, which are accepted",
    },
    async (s) => {
      await step("arrange: a set of 1 on emptyDir, Ready", () => s.readySet({ replicas: 1, dataVolume: "emptyDir" }));
      const outcomes = await step("act: change replicas and minReadySeconds", async () => [
        await s.act.tryUpdate("spec.replicas", (set) => {
          if (set.spec) set.spec.replicas = 0;
        }),
        await s.act.tryUpdate("spec.minReadySeconds", (set) => {
          if (set.spec) set.spec.minReadySeconds = 1;
        }),
      ]);
      await step("assert: the checker flags both (it can fail)", () =>
        s.check.flagged(() => checkRejectedAsImmutable(outcomes), { guarantee: "G38", seen: /^HTTP 200: accepted$/ }),
      );
    },
  );
});
