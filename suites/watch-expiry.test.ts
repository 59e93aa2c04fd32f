// The suite's own promise under a control-plane restart: when a watch cannot resume (its history
// was compacted away: 410 Gone), the recorder lists again and the timeline shows the gap; a check
// over that window is held only if it provably held across the gap, otherwise inconclusive —
// never a silent pass. The fault stops every watch in the cluster: it runs with the cluster alone.
import { describe, expect } from "@jest/globals";
import { watchHistoryLost } from "../harness/faults/watch-history-lost.js";
import { step } from "../harness/report/step.js";
import { checkOrderedCreation } from "../harness/checks/ordering.js";
import { scenarioTest } from "./support/scenario-test.js";
import { kindClusterName } from "../harness/run/conditions.js";

const cluster = kindClusterName();

describe("Timeline under a watch expiry", () => {
  scenarioTest(
    {
      about: "Timeline",
      guarantees: ["G13"],
      needs: ["kind-cluster"],
      says: "a watch expired mid-scale-up (etcd compacted, API server restarted) is a gap in the timeline; G13 over it is held or inconclusive",
    },
    { runIf: { holds: cluster !== undefined, reason: "it restarts the API server: only on the suite's kind cluster" } },
    async (s) => {
      await step("arrange: an OrderedReady set of 2, Ready", () => s.readySet({ replicas: 2 }));
      const from = await s.alone(async () => {
        const scaled = await step("act: scale to 4", () => s.act.scale(4));
        const lost = await step("act: while web-2 and web-3 come up, compact etcd and restart the API server", () =>
          s.act.apply(watchHistoryLost(s.kube, cluster ?? "")),
        );
        await step("observe: the API server is ready again", () => s.act.undo(lost));
        return scaled;
      });
      await step("observe: web-0..web-3 Running and Ready", () => s.observe.readyPods(4));
      await step("assert: G13 over the window is held or inconclusive", async () => {
        const v = await s.check.verdict(() => checkOrderedCreation(s.recorder.entries, s.set, from));
        expect(["held", "inconclusive"]).toContain(v);
      });
      await step("assert: the expiry is in the timeline: a 410 and a re-list of the pods", async () => {
        const after = s.recorder.entries.filter((e) => e.seq > from && e.kind === "Pod");
        expect(after.filter((e) => e.type === "ERROR").map((e) => e.detail)).toContainEqual(
          expect.stringMatching(/^410/),
        );
        expect(after.some((e) => e.type === "RELIST")).toBe(true);
      });
    },
  );
});
