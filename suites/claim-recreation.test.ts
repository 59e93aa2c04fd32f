// G12: a claim deleted while its pod is Pending is created again by the controller at its next
// sync, for the same pod. The pod is kept Pending by a node selector nothing matches, so its claim
// is not in use (pvc-protection holds only claims of scheduled pods) and deleting it is immediate.
// Negative control: a bare Pending pod whose claim is deleted: nothing creates it again.
import { describe } from "@jest/globals";
import { Timeouts } from "../harness/config/timeouts.js";
import { step } from "../harness/report/step.js";
import { checkClaimRecreated } from "../harness/checks/claims.js";
import { quietWindow } from "../harness/timeline/quiet-window.js";
import { claimName } from "../fixtures/web-statefulset.js";
import { scenarioTest } from "./support/scenario-test.js";

describe("G12 claim recreated for a Pending pod", () => {
  scenarioTest(
    {
      guarantees: ["G12"],
      proves: ["claim-recreated"],
      says: "a claim deleted while its pod is Pending is created again for the same pod",
    },
    async (s) => {
      const claim = claimName(s.set, 0);
      const uid = await step(
        "arrange: a set of 1 whose pod no node can take: web-0 Pending, its claim created",
        async () => {
          await s.act.create(s.act.webSet({ replicas: 1, unschedulable: true }));
          await s.observe.pod(0, "Pending", (p) => p.status?.phase === "Pending");
          return (await s.probe.claim(claim)).metadata?.uid ?? "";
        },
      );
      const from = await step(`act: delete claim ${claim}, then let the controller sync`, async () => {
        const mark = await s.act.deleteClaim(claim);
        await s.observe.claimGone(claim, uid);
        await s.act.nudge();
        return mark;
      });
      await step(`observe: ${claim} created again`, () => s.observe.claimRecreated(claim, uid));
      await step("assert: the claim came back while the same pod was Pending", () =>
        s.check.held(() => checkClaimRecreated(s.recorder.entries, claim, "web-0", from)),
      );
    },
  );

  scenarioTest(
    {
      guarantees: ["G12"],
      proves: ["claim-recreated"],
      control: true,
      says: "the recreation check flags a bare Pending pod's deleted claim",
    },
    async (s) => {
      const claim = claimName(s.set, 0);
      await step("arrange: a bare pod web-0 with claim data-web-0, Pending", async () => {
        await s.act.createPendingPodWithClaim("web-0", claim);
        await s.observe.pod(0, "Pending", (p) => p.status?.phase === "Pending");
      });
      const from = await step(`act: delete claim ${claim}`, () => s.act.deleteClaim(claim));
      await step(`observe: a ${Timeouts.quietWindowMs / 1000} s window`, () =>
        quietWindow(
          s.recorder,
          from,
          Timeouts.quietWindowMs,
          (e) => e.kind === "PersistentVolumeClaim" && e.type === "ADDED",
        ),
      );
      await step("assert: the checker flags the claim never created again (it can fail)", () =>
        s.check.flagged(() => checkClaimRecreated(s.recorder.entries, claim, "web-0", from), {
          guarantee: "G12",
          seen: /deleted and not created again/,
        }),
      );
    },
  );
});
