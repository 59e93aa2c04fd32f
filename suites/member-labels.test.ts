// G1 member labels: each member carries statefulset.kubernetes.io/pod-name (its name) and
// apps.kubernetes.io/pod-index (its ordinal); a per-pod Service selecting one member by its
// pod-name label reaches exactly that member, through its ClusterIP and its NodePort. Negative controls: a Deployment posing as the set
// has neither label; a Service selecting the whole set answers from other members too.
import { describe } from "@jest/globals";
import { Timeouts } from "../harness/config/timeouts.js";
import { withRetry } from "../harness/kube/retry.js";
import { Inconclusive } from "../harness/verdict/verdict.js";
import { httpGetFrom } from "../harness/kube/http.js";
import { step } from "../harness/report/step.js";
import { memberLabels, ordinalOf, podName } from "../harness/statefulset/naming.js";
import { checkMemberLabels, checkReachesOnly } from "../harness/checks/identity.js";
import { selectingService } from "../fixtures/web-statefulset.js";
import { appLabel, webContainer, webPort } from "../fixtures/web-pod.js";
import type { Scenario } from "./support/scenario.js";
import { scenarioTest } from "./support/scenario-test.js";

const replicas = 3;

/** The labels of the scenario's pods, by name. */
async function podLabels(s: Scenario) {
  const pods = await s.probe.pods();
  return pods.map((p) => ({ name: p.metadata?.name ?? "", labels: p.metadata?.labels ?? {} }));
}

/**
 * Ten answers through a NodePort Service in front of `selector`, fetched from web-0 (busybox nc):
 * five through its ClusterIP, five through a node's address and the node port.
 */
async function pagesThrough(s: Scenario, selector: Record<string, string>, members: number): Promise<string[]> {
  const service = await withRetry(() =>
    s.kube.core.createNamespacedService({ namespace: s.namespace, body: selectingService({ name: "one", selector }) }),
  );
  const nodes = await s.probe.nodes();
  const nodeIp = nodes[0]?.status?.addresses?.find((a) => a.type === "InternalIP")?.address ?? "";
  const ways: [string, number][] = [
    [service.spec?.clusterIP ?? "", webPort],
    [nodeIp, service.spec?.ports?.[0]?.nodePort ?? 0],
  ];
  await s.observe.endpointsOf("one", members);
  const pages: string[] = [];
  for (const [ip, port] of ways) for (let i = 0; i < 5; i++) pages.push(await answerFrom(s, ip, port));
  return pages;
}

/**
 * One page through `ip:port`. No answer at all is not an answer from the wrong member: kube-proxy
 * programs each node a moment after the endpoints are ready, so it is asked again within the
 * propagation bound, and is inconclusive after it.
 */
async function answerFrom(s: Scenario, ip: string, port: number): Promise<string> {
  const deadline = Date.now() + Timeouts.dnsPropagationMs;
  for (;;) {
    const page = ((await httpGetFrom(s.kube, s.namespace, podName(s.set, 0), webContainer, ip, port)) ?? "").trim();
    if (page) return page;
    if (Date.now() > deadline)
      throw new Inconclusive(`no answer through ${ip}:${port} within ${Timeouts.dnsPropagationMs / 1000} s`);
  }
}

describe("G1 member labels and the per-pod Service", () => {
  scenarioTest(
    { guarantees: ["G1"], says: "each member is labelled with its name and ordinal; its own Service reaches only it" },
    async (s) => {
      await step("arrange: an OrderedReady set of 3, Ready", () => s.readySet({ replicas }));
      const labels = await podLabels(s);
      await step("assert: pod-name and pod-index labels name each member", () =>
        s.check.held(() => checkMemberLabels(labels, (name) => ordinalOf(s.set, name))),
      );
      const pages = await step(
        "act: ten requests through a NodePort Service selecting web-1 by its pod-name label (ClusterIP, node port)",
        () => pagesThrough(s, { [memberLabels.podName]: podName(s.set, 1) }, 1),
      );
      await step("assert: every answer came from web-1", () =>
        s.check.held(() => checkReachesOnly(podName(s.set, 1), pages)),
      );
    },
  );

  scenarioTest({ guarantees: ["G1"], control: true, says: "the label check flags a Deployment's pods" }, async (s) => {
    await step("arrange: a Deployment posing as the set, 2 replicas, Ready", async () => {
      await s.act.createDeployment(2);
      await s.observe.readyCount(2);
    });
    const labels = await podLabels(s);
    await step("assert: the checker flags the missing labels (it can fail)", () =>
      s.check.flagged(() => checkMemberLabels(labels, (name) => ordinalOf(s.set, name)), {
        guarantee: "G1",
        seen: /no such label/,
      }),
    );
  });

  scenarioTest(
    { guarantees: ["G1"], control: true, says: "the per-pod check flags a Service in front of the whole set" },
    async (s) => {
      await step("arrange: an OrderedReady set of 3 on emptyDir, Ready", () =>
        s.readySet({ replicas, dataVolume: "emptyDir" }),
      );
      const pages = await step("act: ten requests through a Service selecting every member", () =>
        pagesThrough(s, { [appLabel]: s.set }, replicas),
      );
      await step("assert: the checker flags answers from other members (it can fail)", () =>
        s.check.flagged(() => checkReachesOnly(podName(s.set, 1), pages), { guarantee: "G1", seen: /^answers from / }),
      );
    },
  );
});
