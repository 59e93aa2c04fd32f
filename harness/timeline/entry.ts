// A timeline's entries: what the watches saw (pods, claims, nodes, the set, events) and the suite's
// own marks, snapshotted and formatted for a failure's report.
import type * as k8s from "@kubernetes/client-node";
import { revisionOf } from "../statefulset/naming.js";

/** What the recorder saw of a pod at one moment: only what the checks and reports need. */
export interface PodSnapshot {
  name: string;
  uid: string;
  phase: string;
  ready: boolean;
  terminating: boolean;
  node?: string;
  ip?: string;
  /** Ready condition's lastTransitionTime (server clock, 1 s resolution). */
  readySince?: string;
  created?: string;
  /**
   * When its deletion was asked for (server clock, 1 s resolution): deletionTimestamp less the
   * grace period it was given.
   */
  deletionRequested?: string;
  /** The set's revision the pod was made from (its controller-revision-hash label). */
  revision?: string;
}

/** What the recorder saw of a claim at one moment. */
export interface ClaimSnapshot {
  phase: string;
  volume: string;
  /** deletionTimestamp set: deletion has begun (the pvc-protection finalizer may still hold it). */
  terminating: boolean;
  /** ownerReferences as "Kind/name". */
  owners: string[];
}

/** What the recorder saw of a node at one moment (an upgrade's timeline). */
export interface NodeSnapshot {
  ready: boolean;
  /** Cordoned (spec.unschedulable). */
  unschedulable: boolean;
  kubeletVersion: string;
}

/** Action: a step the test itself took (scale, delete, fault), to show cause next to effect. */
export type EntryKind = "Pod" | "PersistentVolumeClaim" | "StatefulSet" | "Node" | "Event" | "Action";
/**
 * LISTED: present in a (re)list. RELIST: the watch could not resume and the collection was listed
 * again: what happened in between is unknown (a gap). ERROR, RESUMED, RESUME_FAILED, RELIST_FAILED: watch
 * trouble, shown as it happened (RESUMED resumed from the last resourceVersion: no gap).
 */
export type EntryType =
  | "ADDED"
  | "MODIFIED"
  | "DELETED"
  | "LISTED"
  | "RELIST"
  | "MARK"
  | "ERROR"
  | "RESUMED"
  | "RESUME_FAILED"
  | "RELIST_FAILED";

export interface TimelineEntry {
  /** Arrival order across all streams (within one stream it follows resourceVersion). */
  seq: number;
  /** Local arrival time, ms since the recording started. */
  t: number;
  kind: EntryKind;
  type: EntryType;
  name: string;
  resourceVersion?: string;
  pod?: PodSnapshot;
  claim?: ClaimSnapshot;
  node?: NodeSnapshot;
  /** RELIST only: the names the fresh list holds (everything else is gone). */
  listed?: string[];
  /** One line for everything that is not a pod: claim phase, set status, event message. */
  detail?: string;
  /** MARK only: the pods whose deletion this action of the suite causes ("all": every pod of the set). */
  deletes?: string[] | "all";
  /** Event only: why, about what, and what it says. */
  /** An Event: why, about what, and how often it has happened (a repeat is the same Event, its count bumped). */
  event?: { reason: string; object: string; message: string; count: number };
}

function deletionRequested(pod: k8s.V1Pod): string | undefined {
  const at = pod.metadata?.deletionTimestamp;
  if (!at) return undefined;
  return new Date(new Date(at).getTime() - (pod.metadata?.deletionGracePeriodSeconds ?? 0) * 1000).toISOString();
}

export function podSnapshot(pod: k8s.V1Pod): PodSnapshot {
  const ready = (pod.status?.conditions ?? []).find((c) => c.type === "Ready");
  return {
    name: pod.metadata?.name ?? "",
    uid: pod.metadata?.uid ?? "",
    phase: pod.status?.phase ?? "Unknown",
    ready: pod.status?.phase === "Running" && ready?.status === "True",
    terminating: pod.metadata?.deletionTimestamp !== undefined,
    node: pod.spec?.nodeName,
    ip: pod.status?.podIP,
    // ISO, as `created`: a listed pod's time arrives as a Date, a watched pod's as its string
    readySince:
      ready?.status === "True" && ready.lastTransitionTime
        ? new Date(ready.lastTransitionTime).toISOString()
        : undefined,
    created: pod.metadata?.creationTimestamp ? new Date(pod.metadata.creationTimestamp).toISOString() : undefined,
    deletionRequested: deletionRequested(pod),
    revision: revisionOf(pod),
  };
}

export function nodeSnapshot(n: k8s.V1Node): NodeSnapshot {
  return {
    ready: (n.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True"),
    unschedulable: n.spec?.unschedulable === true,
    kubeletVersion: n.status?.nodeInfo?.kubeletVersion ?? "",
  };
}

export function claimSnapshot(c: k8s.V1PersistentVolumeClaim): ClaimSnapshot {
  return {
    phase: c.status?.phase ?? "?",
    volume: c.spec?.volumeName ?? "",
    terminating: c.metadata?.deletionTimestamp !== undefined,
    owners: (c.metadata?.ownerReferences ?? []).map((o) => `${o.kind}/${o.name}`),
  };
}

/** One line per entry, for reports and failure messages. */
export function formatEntry(e: TimelineEntry): string {
  const time = `+${(e.t / 1000).toFixed(3)}s`.padStart(10);
  const head = `${String(e.seq).padStart(5)} ${time} ${e.type.padEnd(8)} ${e.kind.padEnd(21)} ${e.name}`;
  if (e.pod) {
    const p = e.pod;
    const flags = [
      p.phase,
      p.ready ? "Ready" : "NotReady",
      p.terminating ? "Terminating" : "",
      p.node ?? "",
      p.ip ?? "",
      `uid=${p.uid.slice(0, 8)}`,
      p.revision ? `rev=${p.revision}` : "",
    ];
    return `${head} ${flags.filter(Boolean).join(" ")}`;
  }
  if (e.claim) {
    const c = e.claim;
    const owners = c.owners.length ? `owners=${c.owners.join(",")}` : "";
    return `${head} ${[c.phase, `volume=${c.volume || "-"}`, c.terminating ? "Terminating" : "", owners].filter(Boolean).join(" ")}`;
  }
  if (e.node) {
    const n = e.node;
    return `${head} ${[n.ready ? "Ready" : "NotReady", n.unschedulable ? "cordoned" : "", n.kubeletVersion].filter(Boolean).join(" ")}`;
  }
  if (e.listed) return `${head} ${e.detail ?? ""} listed: ${e.listed.join(", ") || "(none)"}`;
  return e.detail ? `${head} ${e.detail}` : head;
}
