// Storage binding and topology, what a storage vendor's class must show every StatefulSet: each
// member's claim binds as the class's binding mode says (WaitForFirstConsumer: where the member's
// pod was scheduled, the scheduler's selected node; Immediate: at once), to a volume whose node
// affinity is the class's topology (node-pinned: its node; zonal: its zone; any-node: none) and
// which the member's node can use. Expected is what the profile claims, or what the cluster says
// (inferred). The latencies of binding (claim created → Bound) and of attach and mount (pod
// scheduled → Running) are read from the recorded timeline, each within its budget.
// Negative control: the same check, expecting the other topology and binding mode, flags each claim.
import { describe } from "@jest/globals";
import { step } from "../harness/report/step.js";
import {
  bindingLatencies,
  checkBinding,
  checkBudgets,
  type BindingExpectation,
} from "../harness/storage/capability-checks.js";
import type { Scenario } from "./support/scenario.js";
import { scenarioTest } from "./support/scenario-test.js";
import { boundMembers, expectations, expectedTopology, measureLatency } from "./support/storage.js";

const replicas = 3;

/** A Parallel set of 3 with claims, Ready; each member's claim, volume and node as bound. */
async function bindAll(s: Scenario) {
  await step(`arrange: a Parallel set of ${replicas} with claims, Ready`, () =>
    s.readySet({ replicas, podManagementPolicy: "Parallel" }),
  );
  return step("observe: each member's claim, volume and node", () => boundMembers(s, replicas));
}

describe("Storage binding-and-topology", () => {
  scenarioTest(
    {
      proves: ["binding-and-topology"],
      says: "each claim binds as the class's binding mode says, to a volume of its topology its pod's node can use; bound and mounted within budget",
    },
    async (s) => {
      const e = expectations();
      const members = await bindAll(s);
      const want: BindingExpectation = {
        bindingMode: e.bindingMode.value,
        topology: expectedTopology(members[0]?.volume),
        ...(e.zoneKey ? { zoneKey: e.zoneKey } : {}),
      };
      await step(`assert: bound ${want.bindingMode}, volumes ${want.topology}`, () =>
        s.check.held(() => checkBinding(members, want)),
      );
      const samples = bindingLatencies(s.recorder.entries); // caught up by the check above
      for (const x of samples) await measureLatency(x.operation, x.ms);
      await step("assert: each claim bound, and each member mounted, within its budget", () =>
        s.check.held(() => checkBudgets("binding-and-topology", samples, e.budgetsS)),
      );
    },
  );

  scenarioTest(
    {
      proves: ["binding-and-topology"],
      control: true,
      says: "the same check, expecting the other topology and binding mode, flags each claim",
    },
    async (s) => {
      const e = expectations();
      const members = await bindAll(s);
      const seen = expectedTopology(members[0]?.volume);
      const wrong: BindingExpectation = {
        bindingMode: e.bindingMode.value === "Immediate" ? "WaitForFirstConsumer" : "Immediate",
        topology: seen === "any-node" ? "node-pinned" : "any-node",
      };
      await step(
        `assert: expecting ${wrong.bindingMode} and ${wrong.topology}, the checker flags it (it can fail)`,
        () =>
          s.check.flagged(() => checkBinding(members, wrong), {
            guarantee: "binding-and-topology",
            seen: /node affinity|selected node|waited for its pod/,
          }),
      );
    },
  );
});
