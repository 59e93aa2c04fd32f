// G4 stable per-pod DNS through the governing headless Service, G5 the Service is the user's:
// from a client pod, each <pod>.<service>.<namespace>.svc.<domain> resolves to that pod's current
// IP (domain discovered, not assumed), the Service name to the Ready pods, and a replaced pod's
// name to its new IP. Negative control: serviceName naming a Service that does not exist.
import type * as k8s from "@kubernetes/client-node";
import { describe, expect } from "@jest/globals";
import { Timeouts } from "../harness/config/timeouts.js";
import { step } from "../harness/report/step.js";
import { checkPodDns, checkServiceDns, checkSrvRecords } from "../harness/checks/identity.js";
import { podName } from "../harness/statefulset/naming.js";
import { dataDir, becomeUnready, webPort } from "../fixtures/web-pod.js";
import { DnsClient } from "./support/dns-client.js";
import type { Scenario } from "./support/scenario.js";
import { scenarioTest } from "./support/scenario-test.js";

const replicas = 3;
/** DNS's budget as the steps name it: an answer still wrong after it is BROKEN, not a slow wait. */
const inBudget = `within ${Timeouts.dnsPropagationMs / 1000} s (STS_DNS_PROPAGATION_S)`;

/**
 * G5: the SRV records of the Service's port against every pod's ordinal DNS name, looked up until
 * they list as many records as there are pods (new members take a moment to be published).
 */
async function srvCheck(s: Scenario, client: DnsClient) {
  const pods = [...(await podIps(s)).keys()];
  const members = new Map(pods.map((p) => [p, client.name(p, s.set)]));
  const records = await client.srvUntil(`_http._tcp.${client.name("", s.set)}`, (r) => r.length === pods.length);
  return checkSrvRecords(s.set, members, webPort, records);
}

/** Each pod's addresses, every family it has (a dual-stack pod's name answers A and AAAA). */
async function podIps(s: Scenario): Promise<Map<string, string[]>> {
  const pods = await s.probe.pods();
  const ipsOf = (p: k8s.V1Pod) => p.status?.podIPs?.map((a) => a.ip) ?? [p.status?.podIP ?? ""];
  return new Map(pods.map((p) => [p.metadata?.name ?? "", ipsOf(p)]));
}

const sameAddresses = (a: string[], b: string[]) => [...a].sort().join() === [...b].sort().join();

/** Resolves every pod's name through `service` and checks each against the pod's IP (G4). */
async function resolveEach(s: Scenario, client: DnsClient, service: string, timeoutMs?: number) {
  const ips = await podIps(s);
  const names = new Map([...ips.keys()].map((p) => [p, client.name(p, service)]));
  const resolved = new Map<string, string[]>();
  // All names at once: the negative control then waits one window, not one per pod.
  await Promise.all(
    [...ips].map(async ([pod, ip]) =>
      resolved.set(pod, await client.lookupUntil(names.get(pod) ?? "", (got) => sameAddresses(got, ip), timeoutMs)),
    ),
  );
  return checkPodDns(ips, resolved, names);
}

describe("G4 G5 per-pod DNS through the governing headless Service", () => {
  scenarioTest(
    {
      guarantees: ["G4", "G5", "G9"],
      says: "each pod's name resolves to its current IP and serves its own page; the Service name resolves to the Ready pods and its SRV records name every member; a replaced pod keeps its name and page at its new IP",
    },
    async (s) => {
      await step("arrange: headless Service, an OrderedReady set of 3, Ready", () => s.readySet({ replicas }));
      const client = await step("arrange: a DNS client pod; cluster domain read from its resolv.conf", () =>
        DnsClient.start(s),
      );
      await step(`assert: web-N.web.<ns>.svc.<domain> resolves to web-N's pod IP ${inBudget} (G4)`, async () => {
        const found = await resolveEach(s, client, s.set);
        await s.check.held(() => found);
      });
      await step(`assert: the Service name resolves to exactly the Ready pods' IPs ${inBudget} (G4, G5)`, async () => {
        const want = [...(await podIps(s)).values()].flat().sort();
        const got = await client.lookupUntil(client.name("", s.set), (ips) => sameAddresses(ips, want));
        expect([...got].sort()).toEqual(want);
      });
      await step(
        `assert: the Service's SRV records name every member by its ordinal name, port 8080, ${inBudget} (G5)`,
        async () => {
          const found = await srvCheck(s, client);
          await s.check.held(() => found);
        },
      );
      const token = `web-1 ${Date.now().toString(36)}`;
      await step(
        "assert: each pod serves its own page through its DNS name; web-1's page gets a unique token",
        async () => {
          for (let i = 0; i < replicas; i++)
            expect(await client.page(podName(s.set, i), s.set)).toBe(podName(s.set, i));
          await s.probe.sh(1, `echo '${token}' > ${dataDir}/index.html && sync ${dataDir}/index.html`);
          expect(await client.page(podName(s.set, 1), s.set)).toBe(token);
        },
      );
      const oldUid = (await s.probe.pod(1))?.metadata?.uid;
      await step("act: delete web-1; it comes back", async () => {
        await s.act.deletePod(1);
        await s.observe.readyPod(1, "a new UID", (p) => p.metadata?.uid !== oldUid);
      });
      await step(`assert: every name, web-1's included, resolves to the current pod IP ${inBudget} (G4)`, async () => {
        const found = await resolveEach(s, client, s.set);
        await s.check.held(() => found);
      });
      await step("assert: web-1 still serves its own page from its volume (G9)", async () => {
        expect(await client.page(podName(s.set, 1), s.set)).toBe(token);
      });
    },
  );

  scenarioTest(
    { guarantees: ["G4"], control: true, says: "the DNS check flags a set whose serviceName names a missing Service" },
    async (s) => {
      await step("arrange: a set of 3 on emptyDir governed by 'missing', a Service nobody created", async () => {
        await s.act.create(s.act.webSet({ replicas, serviceName: "missing", dataVolume: "emptyDir" }), {
          service: "none",
        });
        await s.observe.readyPods(replicas);
      });
      const client = await DnsClient.start(s);
      const violations = await step(`observe: look up web-N.missing for ${Timeouts.quietWindowMs / 1000} s`, () =>
        resolveEach(s, client, "missing", Timeouts.quietWindowMs),
      );
      await s.check.flagged(() => violations, { guarantee: "G4", seen: /^no answer$/ });
      expect(violations).toHaveLength(replicas);
    },
  );

  scenarioTest(
    { guarantees: ["G5"], control: true, says: "the SRV check flags a Deployment's pods behind a headless Service" },
    async (s) => {
      await step("arrange: a Deployment posing as the set, 2 replicas, with the headless Service, Ready", async () => {
        await s.act.createDeployment(2, { service: true });
        await s.observe.readyCount(2);
      });
      const client = await DnsClient.start(s);
      const found = await step("observe: the Service's SRV records", () => srvCheck(s, client));
      await step("assert: the checker flags records without ordinal names (it can fail)", () =>
        s.check.flagged(() => found, { guarantee: "G5", seen: /^targets |port \d+$/ }),
      );
    },
  );

  /** G5's observation: what the Service name answers while web-1 is unready (until it matches the Ready pods, or `timeoutMs`). */
  async function serviceAnswerWithWeb1Unready(
    s: Scenario,
    service: "headless" | "publish-not-ready",
    timeoutMs: number,
  ) {
    await step(`arrange: an OrderedReady set of 3 (${service} Service), Ready, and a DNS client`, async () => {
      await s.act.create(s.act.webSet({ replicas }), { service });
      await s.observe.readyPods(replicas);
    });
    const client = await DnsClient.start(s);
    await step("act: make web-1 unready; the controller sees 2 Ready", async () => {
      await s.probe.sh(1, becomeUnready);
      await s.observe.controllerSeesReady(replicas - 1);
    });
    const ips = await podIps(s);
    const ready = [...ips].filter(([pod]) => pod !== podName(s.set, 1)).flatMap(([, ip]) => ip);
    const answer = await step(`observe: what ${s.set} resolves to`, () =>
      client.lookupUntil(
        client.name("", s.set),
        (got) => [...got].sort().join() === [...ready].sort().join(),
        timeoutMs,
      ),
    );
    return checkServiceDns(s.set, ready, answer);
  }

  scenarioTest(
    { guarantees: ["G5"], says: "the Service name resolves only to Ready pods: an unready member drops out" },
    async (s) => {
      const found = await serviceAnswerWithWeb1Unready(s, "headless", Timeouts.dnsPropagationMs);
      await step(`assert: exactly the two Ready pods' IPs ${inBudget} (G5)`, () => s.check.held(() => found));
    },
  );

  scenarioTest(
    { guarantees: ["G5"], control: true, says: "the Ready-only check flags a Service that publishes unready pods" },
    async (s) => {
      const found = await serviceAnswerWithWeb1Unready(s, "publish-not-ready", Timeouts.quietWindowMs);
      await step("assert: the checker flags web-1's address (it can fail)", () =>
        s.check.flagged(() => found, { guarantee: "G5", seen: /\d+\.\d+\.\d+\.\d+/ }),
      );
    },
  );
});
