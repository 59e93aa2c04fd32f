import type { Violation } from "./invariants.js";

/** What makes a StatefulSet pod "the same member" (G3, G9, G21), observed at one moment. */
export interface PodIdentity {
  pod: string;
  uid: string;
  hostname: string;
  claim: string;
  volume: string;
  /** sha256 of the payload the pod wrote to its volume; "" when the file is missing. */
  dataSha: string;
}

/**
 * G3/G9/G21: after a replacement the pod keeps its name, hostname, claim, volume and data.
 * `newUid`: whether the UID must change (a deleted pod) or stay (a restarted container).
 */
export function checkSameMember(before: PodIdentity, after: PodIdentity, newUid: boolean): Violation[] {
  const v: Violation[] = [];
  const add = (guarantee: string, what: string, expected: string, seen: string) =>
    v.push({ guarantee, pod: before.pod, expected: `${what} ${expected}`, seen, seq: -1 });
  if (after.pod !== before.pod) add("G21", "the name", before.pod, after.pod);
  if (after.hostname !== before.pod) add("G3", "the hostname", before.pod, after.hostname);
  if (newUid && after.uid === before.uid) add("G21", "a new UID after deletion, not", before.uid, after.uid);
  if (!newUid && after.uid !== before.uid) add("G21", "the same UID after a container restart", before.uid, after.uid);
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
            seq: -1,
          },
        ],
  );
}

/** G4: each pod's DNS name resolves to exactly its current pod IP. */
export function checkPodDns(
  podIps: Map<string, string>,
  resolved: Map<string, string[]>,
  names: Map<string, string>,
): Violation[] {
  return [...podIps].flatMap(([pod, ip]) => {
    const got = resolved.get(pod) ?? [];
    return got.length === 1 && got[0] === ip
      ? []
      : [
          {
            guarantee: "G4",
            pod,
            expected: `${names.get(pod)} to resolve to ${ip}`,
            seen: got.length ? got.join(", ") : "no answer",
            seq: -1,
          },
        ];
  });
}
