// G10 claims kept by default and G11 the PVC retention policy: with whenScaled=Delete the claims
// of removed ordinals go, each only after its pod is gone; with whenDeleted=Delete the rest go
// with the set. Negative controls: a Delete set must fail the G10 "claims kept" window, and a
// Retain set must fail the G11 "claims removed" check.
import { describe, expect } from "@jest/globals";
import type * as k8s from "@kubernetes/client-node";
import { Timeouts } from "../harness/config/timeouts.js";
import { WaitTimeout, waitFor } from "../harness/kube/watch.js";
import { watchOf } from "../harness/kube/watch-of.js";
import { step } from "../harness/report/step.js";
import { checkClaimDeletedAfterPod } from "../harness/checks/claims.js";
import { claimName, dataTemplate, type WebSetOptions } from "../fixtures/web-statefulset.js";
import type { Scenario } from "./support/scenario.js";
import { scenarioTest } from "./support/scenario-test.js";

const removed = ["data-web-1", "data-web-2"];

/**
 * Waits (up to `timeoutMs`) until the namespace's claims not being deleted are exactly `names`;
 * returns the last set seen. Only running out of time is an answer here (the last state); any
 * other failure, or a timeout before anything was seen, propagates: it is not "no claims".
 */
async function claimsBecome(s: Scenario, names: string[], timeoutMs: number): Promise<string[]> {
  const want = [...names].sort().join(",");
  const seen = (c: Map<string, k8s.V1PersistentVolumeClaim>) =>
    [...c.values()]
      .filter((x) => !x.metadata?.deletionTimestamp)
      .map((x) => x.metadata?.name ?? "")
      .sort();
  let last: string[] | undefined;
  try {
    await waitFor(s.kube, {
      watch: watchOf.claims(s.kube, s.namespace),
      what: `claims to be exactly ${want || "none"}`,
      timeoutMs,
      until: (c) => (last = seen(c)).join(",") === want,
    });
  } catch (e) {
    if (!(e instanceof WaitTimeout) || last === undefined) throw e;
  }
  return last ?? [];
}

async function scaleThreeToOne(s: Scenario, retention?: WebSetOptions["retention"]): Promise<number> {
  await step(`arrange: an OrderedReady set of 3, Ready (retention ${JSON.stringify(retention ?? "default")})`, () =>
    s.readySet({ replicas: 3, retention }),
  );
  const from = await step("act: scale to 1", () => s.act.scale(1));
  await step("observe: only web-0 remains", () => s.observe.readyPods(1));
  return from;
}

describe("G10 G11 PVC retention", () => {
  scenarioTest(
    {
      guarantees: ["G11"],
      proves: ["claims-deleted-by-policy"],
      says: "whenScaled=Delete removes a removed ordinal's claim only after its pod is gone; whenDeleted=Delete removes the rest with the set",
    },
    async (s) => {
      const from = await scaleThreeToOne(s, { whenScaled: "Delete", whenDeleted: "Delete" });
      await step("observe: only web-0's claim remains", async () => {
        expect(await claimsBecome(s, [claimName(s.set, 0)], Timeouts.setSettleMs)).toEqual([claimName(s.set, 0)]);
      });
      await step("assert: each claim's deletion began only after its pod was gone (deletionTimestamp) (G11)", () =>
        s.check.held(() => checkClaimDeletedAfterPod(s.recorder.entries, s.set, dataTemplate, from)),
      );
      const deletedSet = await step("act: delete the set", () => s.act.deleteSet("Background"));
      await step("observe: no claim remains", async () =>
        expect(await claimsBecome(s, [], Timeouts.setSettleMs)).toEqual([]),
      );
      await step("assert: web-0's claim was removed only after web-0 was gone (G11)", () =>
        s.check.held(() => checkClaimDeletedAfterPod(s.recorder.entries, s.set, dataTemplate, deletedSet, "removal")),
      );
    },
  );

  scenarioTest(
    {
      guarantees: ["G11"],
      proves: ["claims-deleted-by-policy"],
      control: true,
      says: "the claims-removed check flags a set with the default Retain policy",
    },
    async (s) => {
      await scaleThreeToOne(s);
      const left = await step(`observe: claims for ${Timeouts.quietWindowMs / 1000} s`, () =>
        claimsBecome(s, [claimName(s.set, 0)], Timeouts.quietWindowMs),
      );
      expect(left).toEqual(expect.arrayContaining(removed));
    },
  );

  scenarioTest(
    {
      guarantees: ["G10"],
      proves: ["claims-kept"],
      control: true,
      says: "the claims-kept check flags a set with whenScaled=Delete",
    },
    async (s) => {
      const from = await scaleThreeToOne(s, { whenScaled: "Delete" });
      const lost = await step(
        `observe: for ${Timeouts.quietWindowMs / 1000} s, the claims of web-1 and web-2 must stay`,
        () => s.observe.claimsLostInWindow(removed, from),
      );
      expect(lost.length).toBeGreaterThan(0);
    },
  );

  scenarioTest(
    {
      guarantees: ["G11"],
      proves: ["claims-deleted-by-policy"],
      control: true,
      says: "the claim-deletion check flags a claim whose deletion begins while its pod runs",
    },
    async (s) => {
      await step("arrange: an OrderedReady set of 2, Ready", () => s.readySet({ replicas: 2 }));
      const from = await step("act: the test itself deletes web-1's claim while web-1 runs", () =>
        s.act.deleteClaim(claimName(s.set, 1)),
      );
      await step(
        "assert: the checker flags it (the pvc-protection finalizer holds the claim: only its deletionTimestamp shows)",
        () =>
          s.check.flagged(() => checkClaimDeletedAfterPod(s.recorder.entries, s.set, dataTemplate, from), {
            guarantee: "G11",
            seen: /while \S+ still existed/,
          }),
      );
    },
  );
});
