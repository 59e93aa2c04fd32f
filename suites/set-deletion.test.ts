// G39 deleting the set: its pods go, in no documented order (reported as observed, not judged);
// the governing Service and, under the default retention, every claim stay. (Orphan deletion and
// re-adoption: suites/persistence.test.ts.) Negative control: a Service the set owns and claims
// with whenDeleted=Delete go with the set, and are flagged.
import { describe } from "@jest/globals";
import { Timeouts } from "../harness/config/timeouts.js";
import { withRetry } from "../harness/kube/retry.js";
import { attach, step } from "../harness/report/step.js";
import { checkSetDeletionLeaves, type LeftBehind } from "../harness/checks/set-deletion.js";
import { terminationOrder } from "../harness/checks/ordering.js";
import { quietWindow } from "../harness/timeline/quiet-window.js";
import { claimName, type WebSetOptions } from "../fixtures/web-statefulset.js";
import type { Scenario } from "./support/scenario.js";
import { scenarioTest } from "./support/scenario-test.js";

const replicas = 3;
const claims = (s: Scenario) => Array.from({ length: replicas }, (_, i) => claimName(s.set, i));

/** Deletes the Ready set, waits for its pods to go and a quiet window, and returns what is left. */
async function deleteAndSeeWhatIsLeft(s: Scenario): Promise<LeftBehind> {
  const from = await step("act: delete the set", () => s.act.deleteSet("Background"));
  await step("observe: every pod gone", () => s.observe.readyPods(0));
  await step(`observe: a ${Timeouts.quietWindowMs / 1000} s window for the garbage collector`, () =>
    quietWindow(s.recorder, s.recorder.mark("pods gone"), Timeouts.quietWindowMs, () => false),
  );
  await attach(
    "note: termination order on set deletion (documented: none)",
    terminationOrder(s.recorder.entries, s.set, from).join(", "),
  );
  const { services, claims } = await s.probe.servicesAndClaims();
  return {
    service: { name: s.set, exists: services.some((x) => x.metadata?.name === s.set) },
    claims: claims.filter((c) => !c.metadata?.deletionTimestamp).map((c) => c.metadata?.name ?? ""),
  };
}

async function readyThree(s: Scenario, o: Omit<WebSetOptions, "name" | "image"> = {}): Promise<void> {
  await step("arrange: an OrderedReady set of 3 with its governing Service, Ready", () =>
    s.readySet({ replicas, ...o }),
  );
}

describe("G39 set deletion", () => {
  scenarioTest(
    {
      guarantees: ["G39"],
      proves: ["claims-kept"],
      says: "deleting the set leaves its governing Service and every claim",
    },
    async (s) => {
      await readyThree(s);
      const left = await deleteAndSeeWhatIsLeft(s);
      await step("assert: the Service and the 3 claims are still there", () =>
        s.check.held(() => checkSetDeletionLeaves(left, claims(s))),
      );
    },
  );

  scenarioTest(
    {
      guarantees: ["G39"],
      proves: ["claims-kept"],
      control: true,
      says: "the check flags a Service the set owns and claims with whenDeleted=Delete",
    },
    async (s) => {
      await readyThree(s, { retention: { whenDeleted: "Delete" } });
      await step("arrange: the Service made the set's dependent (an ownerReference to it)", async () => {
        const set = await s.probe.set();
        const owner = { apiVersion: "apps/v1", kind: "StatefulSet", name: s.set, uid: set.metadata?.uid ?? "" };
        await withRetry(async () => {
          const body = await s.kube.core.readNamespacedService({ namespace: s.namespace, name: s.set });
          body.metadata = { ...body.metadata, ownerReferences: [owner] };
          await s.kube.core.replaceNamespacedService({ namespace: s.namespace, name: s.set, body });
        });
      });
      const left = await deleteAndSeeWhatIsLeft(s);
      await step("assert: the checker flags the Service and the claims gone (it can fail)", () =>
        s.check.flagged(() => checkSetDeletionLeaves(left, claims(s)), {
          guarantee: "G39",
          seen: /deleted with the set/,
        }),
      );
    },
  );
});
