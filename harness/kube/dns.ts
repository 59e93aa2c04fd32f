/**
 * The addresses a busybox `nslookup` printed for the name it looked up, IPv4 (A) and IPv6 (AAAA):
 * the "Address:" lines after the first "Name:" (the ones before are the server's own address).
 */
export function parseNslookup(output: string): string[] {
  if (!output.includes("Name:")) return [];
  const answer = output.slice(output.indexOf("Name:"));
  return [...answer.matchAll(/^Address:\s*([0-9a-fA-F.:]+)\s*$/gm)].map((m) => m[1] ?? "");
}

/** A pod's resolv.conf search list, in order. */
export function searchPath(resolvConf: string): string[] {
  return /^search\s+(.+)$/m.exec(resolvConf)?.[1]?.trim().split(/\s+/) ?? [];
}

/** The cluster domain from a pod's resolv.conf search list (`svc.<domain>`), or undefined. */
export function clusterDomainFrom(resolvConf: string): string | undefined {
  return searchPath(resolvConf)
    .find((d) => d.startsWith("svc."))
    ?.slice("svc.".length);
}

/**
 * Whether a busybox `nslookup` got no answer from any server (cluster DNS down or unreachable), as
 * opposed to an answer, even "no such name": then no DNS guarantee can be judged.
 */
export function dnsUnreachable(output: string): boolean {
  return /no servers could be reached|connection timed out/i.test(output);
}

/**
 * Whether the DNS server answered a busybox `nslookup` with a failure of its own, SERVFAIL or
 * REFUSED, as opposed to an answer about the name (NXDOMAIN is one): the failure, or undefined.
 * Such a lookup says nothing about the name.
 */
export function dnsServerFailure(output: string): string | undefined {
  return /server can't find [^\n]*?:\s*(SERVFAIL|REFUSED)/i.exec(output)?.[1]?.toUpperCase();
}

/** One SRV record: the port and the host it names (a member's DNS name, for a StatefulSet). */
export interface SrvRecord {
  port: number;
  target: string;
}

/** The SRV records a busybox `nslookup -type=SRV` printed: `<name> service = <prio> <weight> <port> <target>`. */
export function parseSrv(output: string): SrvRecord[] {
  return [...output.matchAll(/service = \d+ \d+ (\d+) (\S+?)\.?$/gm)].map((m) => ({
    port: Number(m[1]),
    target: m[2] ?? "",
  }));
}
