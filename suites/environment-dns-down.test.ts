// The environment is not the guarantee, with cluster DNS down: preflight says so in one line, and
// the DNS checks call a lookup that gets no answer inconclusive. A file of its own: it needs the
// cluster alone (s.alone), so it runs at the end of the run, while the other environment cases
// run early.
import { describe, expect } from "@jest/globals";
import { clusterDnsDown } from "../harness/faults/cluster-dns-down.js";
import { disruptive } from "../harness/faults/drain.js";
import { dnsUnreachable } from "../harness/kube/dns.js";
import { step } from "../harness/report/step.js";
import { preflightRefusal } from "./support/preflight-refusal.js";
import { scenarioTest } from "./support/scenario-test.js";
import { target } from "./support/target.js";

describe("Environment diagnosis: cluster DNS down", () => {
  scenarioTest(
    "Environment: with cluster DNS down, preflight says so in one line and DNS checks are inconclusive",
    { runIf: disruptive() },
    async (s) => {
      await step("arrange: a set of 1 to look names up from", () => s.readySet({ replicas: 1 }));
      const refusal = await s.alone(async () => {
        const down = await step("act: scale cluster DNS to 0", () => s.act.apply(clusterDnsDown(s.kube)));
        await step(
          "observe: a lookup from a pod gets no answer at all, which the DNS checks call inconclusive",
          async () =>
            expect(dnsUnreachable(await s.probe.sh(0, "nslookup kubernetes.default 2>&1 || true"))).toBe(true),
        );
        const found = await step("act: preflight", () => preflightRefusal(target()));
        await step("act: scale cluster DNS back (verified available)", () => s.act.undo(down));
        return found;
      });
      expect(refusal.message).toMatch(/^cluster DNS does not answer from a pod/);
    },
  );
});
