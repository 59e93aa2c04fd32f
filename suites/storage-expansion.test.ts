// Volume expansion, as a storage vendor claims it: a member's claim grown (the claim itself
// updated: a set's claim template cannot change) grows the filesystem the member's pod sees,
// within the budget, its data unchanged. Where the class does not claim it, the run tries anyway
// and reports what happened: refused (not offered, with the API server's answer), or grown (the
// class could claim it). Never BROKEN for a capability nobody claimed.
// Negative control (kind): expansion claimed of kind's standard class, which refuses it: the same
// check must call it BROKEN, naming expansion.
import { describe } from "@jest/globals";
import { attach, step } from "../harness/report/step.js";
import { onKind } from "../harness/run/conditions.js";
import { checkExpansion } from "../harness/storage/capability-checks.js";
import { noteNotOffered } from "../harness/storage/findings.js";
import { podName } from "../harness/statefulset/naming.js";
import { claimName } from "../fixtures/web-statefulset.js";
import type { Scenario } from "./support/scenario.js";
import { scenarioTest } from "./support/scenario-test.js";
import { expectations, growClaim, measureLatency } from "./support/storage.js";

/** kind's own node-pinned class (local-path), which does not allow expansion. */
const refusingClass = "standard";

async function growMember(s: Scenario, storageClass?: string) {
  await step(`arrange: a set of 1 with a claim${storageClass ? ` of StorageClass ${storageClass}` : ""}, Ready`, () =>
    s.readySet({ replicas: 1, ...(storageClass ? { storageClass } : {}) }),
  );
  const budgetS = expectations().budgetsS.expansion.seconds;
  const grown = await step(
    `act: grow ${claimName(s.set, 0)} to twice its size; observe it grown (within ${budgetS} s)`,
    () => growClaim(s, 0, budgetS),
  );
  await attach("what growing the claim came to", JSON.stringify(grown.expansion, null, 2));
  return grown;
}

describe("Storage expansion", () => {
  scenarioTest(
    {
      proves: ["expansion"],
      says: "a member's claim grown (the claim updated) grows the filesystem its pod sees, data intact, within budget; where not claimed, what the class did is reported",
    },
    async (s) => {
      const e = expectations();
      const { expansion, ms } = await growMember(s);
      const violations = () => checkExpansion(podName(s.set, 0), claimName(s.set, 0), expansion);
      if (expansion.kind === "grown") await measureLatency("expansion", ms);
      if (e.expansion.value)
        return step(`assert: expansion (${e.expansion.source}) held`, () => s.check.held(violations));
      if (expansion.kind !== "grown")
        return noteNotOffered(
          "expansion",
          expansion.kind === "refused" ? `refused: ${expansion.why}` : `accepted, never grown: ${expansion.why}`,
        );
      await step("assert: not claimed, but grown: the data and the filesystem say so", () => s.check.held(violations));
    },
  );

  scenarioTest(
    {
      proves: ["expansion"],
      control: true,
      needs: ["kind-cluster"],
      says: "expansion claimed of a class that refuses it (kind's standard) is BROKEN, naming expansion",
    },
    {
      runIf: onKind(
        `a class known to refuse expansion needs the suite's kind cluster (its StorageClass ${refusingClass})`,
      ),
    },
    async (s) => {
      const { expansion } = await growMember(s, refusingClass);
      await step("assert: the checker flags the claimed expansion (it can fail)", () =>
        s.check.flagged(() => checkExpansion(podName(s.set, 0), claimName(s.set, 0), expansion), {
          guarantee: "expansion",
          seen: /refused|Pending|Bound|bytes|payload/,
        }),
      );
    },
  );
});
