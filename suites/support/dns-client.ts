// A client pod that resolves names through the cluster's DNS, as the members' peers would: the
// cluster domain read from its resolv.conf, lookups (A and SRV) by exec of nslookup, and the page
// behind an address. DNS has no watch, so what must propagate is asked again until it holds.
import { clientContainer, clientPod } from "../../fixtures/client-pod.js";
import { webPort } from "../../fixtures/web-pod.js";
import { fixtureImage } from "../../harness/config/image-build.js";
import { Timeouts } from "../../harness/config/timeouts.js";
import {
  clusterDomainFrom,
  dnsServerFailure,
  dnsUnreachable,
  parseNslookup,
  parseSrv,
  type SrvRecord,
} from "../../harness/kube/dns.js";
import { execInPod } from "../../harness/kube/exec.js";
import { httpGetFrom } from "../../harness/kube/http.js";
import { isReady, waitForPod } from "../../harness/kube/pods.js";
import { Inconclusive } from "../../harness/verdict/verdict.js";
import type { Scenario } from "./scenario.js";

/** The DNS server failed the query (SERVFAIL, REFUSED): an answer about nothing, not a finding. */
class DnsServerFailed extends Inconclusive {}

export class DnsClient {
  constructor(
    private readonly s: Scenario,
    readonly domain: string,
  ) {}

  static async start(s: Scenario): Promise<DnsClient> {
    await s.kube.core.createNamespacedPod({
      namespace: s.namespace,
      body: clientPod({ name: "dns-client", image: fixtureImage() }),
    });
    await waitForPod(s.kube, s.namespace, "dns-client", "Ready", isReady, Timeouts.podStartMs);
    const resolv = await execInPod(s.kube, s.namespace, "dns-client", ["cat", "/etc/resolv.conf"], clientContainer);
    const domain = clusterDomainFrom(resolv.stdout);
    if (!domain) throw new Error(`no svc.<domain> in the client's resolv.conf search list:\n${resolv.stdout}`);
    return new DnsClient(s, domain);
  }

  name(pod: string, service: string): string {
    return pod
      ? `${pod}.${service}.${this.s.namespace}.svc.${this.domain}`
      : `${service}.${this.s.namespace}.svc.${this.domain}`;
  }

  /** The addresses `name` resolves to. */
  async lookup(name: string): Promise<string[]> {
    return parseNslookup(await this.nslookup([name]));
  }

  /** The SRV records of `name`, looked up until `accept` holds or the DNS propagation bound passes. */
  srvUntil(name: string, accept: (records: SrvRecord[]) => boolean): Promise<SrvRecord[]> {
    const ask = async () => parseSrv(await this.nslookup(["-type=SRV", name]));
    return this.askUntil(ask, accept, Timeouts.dnsPropagationMs);
  }

  /** What nslookup printed; inconclusive when cluster DNS does not answer at all. */
  private async nslookup(args: string[]): Promise<string> {
    const r = await execInPod(this.s.kube, this.s.namespace, "dns-client", ["nslookup", ...args], clientContainer);
    if (dnsUnreachable(r.stdout + r.stderr))
      throw new Inconclusive(`cluster DNS did not answer: nslookup ${args.join(" ")}`);
    const failure = dnsServerFailure(r.stdout + r.stderr);
    if (failure) throw new DnsServerFailed(`cluster DNS answered ${failure}: nslookup ${args.join(" ")}`);
    return r.stdout;
  }

  /** A pod's page, fetched from the address its DNS name resolves to. */
  async page(pod: string, service: string): Promise<string> {
    const [ip] = await this.lookupUntil(this.name(pod, service), (ips) => ips.length === 1);
    if (!ip) return `(${this.name(pod, service)} does not resolve)`;
    const body = await httpGetFrom(this.s.kube, this.s.namespace, "dns-client", clientContainer, ip, webPort);
    return body?.trim() ?? `(no page from ${ip}:${webPort})`;
  }

  /** Looks `name` up until `accept` holds or the DNS propagation bound passes; returns the last answer. */
  lookupUntil(name: string, accept: (ips: string[]) => boolean, timeoutMs: number = Timeouts.dnsPropagationMs) {
    return this.askUntil(() => this.lookup(name), accept, timeoutMs);
  }

  /** Asks until `accept` holds or `timeoutMs` passes (DNS has no watch: it is polled); returns the last answer. */
  private async askUntil<T>(ask: () => Promise<T>, accept: (answer: T) => boolean, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let answer: T;
      try {
        answer = await ask();
      } catch (e) {
        // a server failure may pass (CoreDNS syncing); still failing at the deadline, nothing is judged
        if (e instanceof DnsServerFailed && Date.now() <= deadline) continue;
        throw e;
      }
      if (accept(answer) || Date.now() > deadline) return answer;
    }
  }
}
