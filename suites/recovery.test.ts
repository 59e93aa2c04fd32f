// G22: a pod the kubelet fails (phase Failed) is deleted and recreated under its own name. G17:
// a failed predecessor does not deadlock the set: web-0, deleted while web-1 is unready, is
// recreated (upstream e2e "should not deadlock when a pod's predecessor fails"). Negative
// control for both: a Deployment's failed pod is replaced under another name, never its own.
import { describe } from "@jest/globals";
import { step } from "../harness/report/step.js";
import { checkRecreated } from "../harness/checks/recreation.js";
import { becomeUnready, becomeReady } from "../fixtures/web-pod.js";
import { scenarioTest } from "./support/scenario-test.js";

describe("G17 G22 recovery of failed pods", () => {
  scenarioTest({ guarantees: ["G22"], says: "a pod the kubelet fails is recreated under its own name" }, async (s) => {
    await step("arrange: an OrderedReady set of 2, Ready", () => s.readySet({ replicas: 2 }));
    const old = (await s.probe.identity(1)).uid;
    const from = await step("act: the kubelet fails web-1 (its active deadline passes)", () => s.act.failPod(1));
    await step("observe: web-1 replaced and Ready", () =>
      s.observe.readyPod(1, "replaced", (p) => p.metadata?.uid !== old),
    );
    await step("assert: web-1 was Failed, then recreated as web-1", () =>
      s.check.held(() => checkRecreated(s.recorder.entries, "web-1", from, "G22", { failedFirst: true })),
    );
  });

  scenarioTest(
    {
      guarantees: ["G17"],
      says: "web-0 deleted while web-1 is unready is recreated (no deadlock), then the set is whole",
    },
    async (s) => {
      await step("arrange: an OrderedReady set of 2, Ready; web-1 made unready", async () => {
        await s.readySet({ replicas: 2 });
        await s.probe.sh(1, becomeUnready);
        await s.observe.pod(
          1,
          "not Ready",
          (p) => !p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
        );
      });
      const old = (await s.probe.identity(0)).uid;
      const from = await step("act: delete web-0", () => s.act.deletePod(0));
      await step("observe: web-0 back and Ready while web-1 is still unready", () =>
        s.observe.readyPod(0, "replaced", (p) => p.metadata?.uid !== old),
      );
      await step("assert: web-0 was recreated while web-1 was not Ready", () =>
        s.check.held(() => checkRecreated(s.recorder.entries, "web-0", from, "G17", { whileNotReady: "web-1" })),
      );
      await step("act: web-1 ready again", () => s.probe.sh(1, becomeReady));
      await step("observe: both Ready", () => s.observe.readyPods(2));
    },
  );

  scenarioTest(
    { guarantees: ["G17", "G22"], control: true, says: "the recreation check flags a Deployment's failed pod" },
    async (s) => {
      const victim = await step("arrange: a Deployment posing as the set, 2 replicas, Ready", async () => {
        await s.act.createDeployment(2);
        return (await s.observe.readyCount(2))[0]?.metadata?.name ?? "";
      });
      const from = await step(`act: the kubelet fails ${victim}`, () => s.act.failPod(victim));
      await step("observe: a replacement Ready under another name", () =>
        s.observe.readyCount(2, (pods) => !pods.some((p) => p.metadata?.name === victim)),
      );
      await step("assert: the checker flags no recreation under the failed pod's name (it can fail)", () =>
        s.check.flagged(() => checkRecreated(s.recorder.entries, victim, from, "G22", { failedFirst: true }), {
          guarantee: "G22",
          seen: /no new Ready pod of that name/,
        }),
      );
    },
  );
});
