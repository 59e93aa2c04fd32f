// The identity family's checks: hostname, the same member back with its own data, per-pod DNS and
// SRV records, member labels and the per-pod Service (G1 G3 G4 G5 G9 G21).
import type { SrvRecord } from "../kube/dns.js";
import { memberLabels } from "../statefulset/naming.js";
import type { Violation } from "../verdict/violation.js";

/** What makes a StatefulSet pod "the same member" (G3, G9, G21), observed at one moment. */
export interface PodIdentity {
  pod: string;
  uid: string;
  /** `hostname` inside the container. */
  hostname: string;
  /** pod.spec.hostname and pod.spec.subdomain, as the controller set them. */
  specHostname: string;
  subdomain: string;
  /** The FQDN the kubelet published for the pod (its /etc/hosts entry), via the governing Service. */
  fqdn: string;
  /** The FQDN the pod must have: `<pod>.<serviceName>.<namespace>.svc.<domain>`. */
  expectedFqdn: string;
  claim: string;
  volume: string;
  /** sha256 of the payload the pod wrote to its volume; "" when the file is missing. */
  dataSha: string;
}

/** G3: the pod's hostname, spec.hostname, subdomain and FQDN are what the set promises. */
export function checkHostname(id: PodIdentity, serviceName: string): Violation[] {
  const v: Violation[] = [];
  const add = (what: string, expected: string, seen: string) =>
    v.push({ guarantee: "G3", pod: id.pod, expected: `${what} ${expected}`, seen: seen || "(empty)" });
  if (id.hostname !== id.pod) add("the hostname", id.pod, id.hostname);
  if (id.specHostname !== id.pod) add("spec.hostname", id.pod, id.specHostname);
  if (id.subdomain !== serviceName) add("spec.subdomain", serviceName, id.subdomain);
  if (id.fqdn !== id.expectedFqdn) add("the FQDN", id.expectedFqdn, id.fqdn);
  return v;
}

/** How the pod was disturbed: a deleted pod must come back with a new UID, a restarted container with the same. */
export type Disturbance = "pod deleted" | "container restarted";

/**
 * G3/G9/G21: after a replacement the pod keeps its name, hostname, claim, volume and data.
 */
export function checkSameMember(
  before: PodIdentity,
  after: PodIdentity,
  disturbance: Disturbance,
  serviceName: string,
): Violation[] {
  const v: Violation[] = [];
  const add = (guarantee: string, what: string, expected: string, seen: string) =>
    v.push({ guarantee, pod: before.pod, expected: `${what} ${expected}`, seen });
  if (after.pod !== before.pod) add("G21", "the name", before.pod, after.pod);
  v.push(...checkHostname(after, serviceName));
  if (after.fqdn !== before.fqdn) add("G3", "the FQDN", before.fqdn, after.fqdn);
  if (disturbance === "pod deleted" && after.uid === before.uid)
    add("G21", "a new UID after deletion, not", before.uid, after.uid);
  if (disturbance === "container restarted" && after.uid !== before.uid)
    add("G21", "the same UID after a container restart", before.uid, after.uid);
  if (after.claim !== before.claim) add("G9", "the claim", before.claim, after.claim);
  if (after.volume !== before.volume) add("G9", "the volume", before.volume || "(none)", after.volume || "(none)");
  if (after.dataSha !== before.dataSha) add("G9", "the data with sha256", before.dataSha, after.dataSha || "(missing)");
  return v;
}

/** G9: every ordinal reads back exactly the bytes it wrote (by sha256), after `when`. */
export function checkOwnData(written: Map<string, string>, read: Map<string, string>, when: string): Violation[] {
  return [...written].flatMap(([pod, sha]) =>
    read.get(pod) === sha
      ? []
      : [
          {
            guarantee: "G9",
            pod,
            expected: `its own payload (sha256 ${sha.slice(0, 12)}…) after ${when}`,
            seen: read.get(pod) ? `sha256 ${read.get(pod)?.slice(0, 12)}…` : "no payload",
          },
        ],
  );
}

/** G4/G5: the governing Service's name answers exactly the Ready pods' IPs, never an unready pod's. */
export function checkServiceDns(service: string, readyIps: string[], answer: string[]): Violation[] {
  const want = [...readyIps].sort().join(", ");
  const got = [...answer].sort().join(", ");
  return want === got
    ? []
    : [
        {
          guarantee: "G5",
          pod: service,
          expected: `${service} to resolve to the Ready pods: ${want}`,
          seen: got || "no answer",
        },
      ];
}

/**
 * G5: the headless Service's SRV records (`_<port>._tcp.<service>…`) list every Ready member,
 * each by its own ordinal DNS name (`members`: pod -> name) and the Service's port, and nothing else.
 */
export function checkSrvRecords(
  service: string,
  members: Map<string, string>,
  port: number,
  records: SrvRecord[],
): Violation[] {
  const targets = new Set(records.map((r) => r.target));
  const missing = [...members].filter(([, name]) => !targets.has(name));
  const known = new Set(members.values());
  const other = records.filter((r) => !known.has(r.target) || r.port !== port);
  return [
    ...missing.map(([pod, name]) => ({
      guarantee: "G5",
      pod,
      expected: `an SRV record of ${service} naming ${name}, port ${port}`,
      seen: records.length ? `targets ${[...targets].join(", ")}` : "no SRV record",
    })),
    ...other.map((r) => ({
      guarantee: "G5",
      pod: service,
      expected: `SRV records naming only the members by their ordinal names, port ${port}`,
      seen: `${r.target} port ${r.port}`,
    })),
  ];
}

/** G4: each pod's DNS name resolves to exactly its current pod IPs (one per address family). */
export function checkPodDns(
  podIps: Map<string, string[]>,
  resolved: Map<string, string[]>,
  names: Map<string, string>,
): Violation[] {
  return [...podIps].flatMap(([pod, ips]) => {
    const got = resolved.get(pod) ?? [];
    return [...got].sort().join() === [...ips].sort().join()
      ? []
      : [
          {
            guarantee: "G4",
            pod,
            expected: `${names.get(pod)} to resolve to ${ips.join(", ")}`,
            seen: got.length ? got.join(", ") : "no answer",
          },
        ];
  });
}

/** G1: every member carries its own name and ordinal in the controller's labels. */
export function checkMemberLabels(
  pods: { name: string; labels: Record<string, string> }[],
  ordinal: (name: string) => number | undefined,
): Violation[] {
  return pods.flatMap(({ name, labels }) => {
    const want = { [memberLabels.podName]: name, [memberLabels.podIndex]: String(ordinal(name) ?? "(no ordinal)") };
    return Object.entries(want)
      .filter(([k, v]) => labels[k] !== v)
      .map(([k, v]) => ({
        guarantee: "G1",
        pod: name,
        expected: `label ${k}=${v}`,
        seen: labels[k] ?? "(no such label)",
      }));
  });
}

/** A per-pod Service (selecting one member by its pod-name label) reaches exactly that member. */
export function checkReachesOnly(pod: string, pages: string[]): Violation[] {
  const others = pages.filter((p) => p !== pod);
  return others.length === 0 && pages.length > 0
    ? []
    : [
        {
          guarantee: "G1",
          pod,
          expected: `every answer from ${pod} through its own Service`,
          seen: pages.length ? `answers from ${[...new Set(others)].join(", ")}` : "no answer",
        },
      ];
}
