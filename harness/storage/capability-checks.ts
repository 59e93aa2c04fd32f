// The storage capabilities' checkers: pure functions over what a storage test saw (the timeline,
// the bound claims and their volumes, an exec's answer), each returning violations named after
// the capability ("binding-and-topology", "expansion", "fs-group", "drain") and saying expected
// against seen, with the data and the volume in the words. Unit tested on hand-made bad input.
import type * as k8s from "@kubernetes/client-node";
import type { TimelineEntry } from "../timeline/entry.js";
import type { Violation } from "../verdict/violation.js";
import { volumeTopology } from "./expectations.js";
import type { BindingMode, LatencyOperation, Topology } from "./profile.js";
import { latencyMeaning } from "./profile.js";

/** The annotation the scheduler sets on a WaitForFirstConsumer claim: the node its pod was scheduled to. */
export const selectedNodeAnnotation = "volume.kubernetes.io/selected-node";

/** A member's claim as bound, with its pod's node and that node's labels. */
export interface BoundMember {
  pod: string;
  node: string;
  nodeLabels: Record<string, string>;
  claim: k8s.V1PersistentVolumeClaim;
  volume: k8s.V1PersistentVolume | undefined;
}

/** What the binding check expects of the class. */
export interface BindingExpectation {
  bindingMode: BindingMode;
  topology: Topology;
  zoneKey?: string;
}

/** Whether a volume's required node affinity admits a node with these labels (no affinity: every node). */
export function admits(pv: k8s.V1PersistentVolume | undefined, labels: Record<string, string>): boolean {
  const terms = pv?.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? [];
  if (terms.length === 0) return true;
  return terms.some((t) =>
    (t.matchExpressions ?? []).every((e) => {
      const v = labels[e.key];
      switch (e.operator) {
        case "In":
          return v !== undefined && (e.values ?? []).includes(v);
        case "NotIn":
          return v === undefined || !(e.values ?? []).includes(v);
        case "Exists":
          return v !== undefined;
        case "DoesNotExist":
          return v === undefined;
        default:
          return false;
      }
    }),
  );
}

const guarantee = "binding-and-topology";

/**
 * Each claim bound, to a volume its pod's node can use, with the topology and binding mode the
 * class is expected to have: WaitForFirstConsumer binds where the pod was scheduled (the
 * scheduler's selected-node is the pod's node), Immediate binds without one; a node-pinned volume
 * names its node, a zonal one its zone, a volume reachable from every node no node at all.
 */
export function checkBinding(members: BoundMember[], want: BindingExpectation): Violation[] {
  const out: Violation[] = [];
  for (const m of members) {
    const name = m.claim.metadata?.name ?? "";
    const v = (expected: string, seen: string) => out.push({ guarantee, pod: m.pod, expected, seen });
    if (m.claim.status?.phase !== "Bound" || !m.volume) {
      v(`claim ${name} Bound`, `phase ${m.claim.status?.phase ?? "?"}, volume ${m.claim.spec?.volumeName || "none"}`);
      continue;
    }
    const pv = m.volume.metadata?.name ?? "";
    if (!admits(m.volume, m.nodeLabels))
      v(
        `volume ${pv} of claim ${name} usable on ${m.node}, where ${m.pod} runs`,
        `its node affinity excludes ${m.node}`,
      );
    const selected = m.claim.metadata?.annotations?.[selectedNodeAnnotation];
    if (want.bindingMode === "WaitForFirstConsumer" && selected !== m.node)
      v(
        `claim ${name} bound where ${m.pod} was scheduled (WaitForFirstConsumer: ${selectedNodeAnnotation} ${m.node})`,
        selected ? `selected node ${selected}` : "no selected node: bound before its pod was scheduled (Immediate)",
      );
    if (want.bindingMode === "Immediate" && selected !== undefined)
      v(`claim ${name} bound at once (Immediate)`, `it waited for its pod's node ${selected} (WaitForFirstConsumer)`);
    const shown = volumeTopology(m.volume);
    const described = shown.key ? `node affinity on ${shown.key} (${shown.topology})` : "no node affinity (any-node)";
    if (shown.topology !== want.topology) v(`volume ${pv} of claim ${name} ${want.topology}`, `${described}`);
    else if (want.topology === "zonal" && want.zoneKey && shown.key !== want.zoneKey)
      v(`volume ${pv} of claim ${name} zonal by ${want.zoneKey}`, `${described}`);
  }
  return out;
}

/** Per claim: created → Bound; per pod: scheduled → Running (arrival times of the recorded entries). */
export function bindingLatencies(
  entries: TimelineEntry[],
): { operation: LatencyOperation; name: string; ms: number }[] {
  const first = (pred: (e: TimelineEntry) => boolean) => entries.find(pred)?.t;
  const claims = [...new Set(entries.filter((e) => e.kind === "PersistentVolumeClaim" && e.claim).map((e) => e.name))];
  const pods = [...new Set(entries.filter((e) => e.kind === "Pod" && e.pod).map((e) => e.name))];
  const samples: { operation: LatencyOperation; name: string; ms: number }[] = [];
  for (const c of claims) {
    const created = first((e) => e.kind === "PersistentVolumeClaim" && e.name === c && e.type === "ADDED");
    const bound = first((e) => e.kind === "PersistentVolumeClaim" && e.name === c && e.claim?.phase === "Bound");
    if (created !== undefined && bound !== undefined)
      samples.push({ operation: "bound", name: c, ms: bound - created });
  }
  for (const p of pods) {
    const scheduled = first(
      (e) => e.kind === "Pod" && e.name === p && e.pod?.node !== undefined && e.pod.phase === "Pending",
    );
    const running = first((e) => e.kind === "Pod" && e.name === p && e.pod?.phase === "Running");
    if (scheduled !== undefined && running !== undefined)
      samples.push({ operation: "attachAndMount", name: p, ms: running - scheduled });
  }
  return samples;
}

/** Each sample within its operation's budget (seconds); over it is a violation of `capability`. */
export function checkBudgets(
  capability: string,
  samples: { operation: LatencyOperation; name: string; ms: number }[],
  budgetsS: Record<LatencyOperation, { seconds: number }>,
): Violation[] {
  return samples
    .filter((s) => s.ms > budgetsS[s.operation].seconds * 1000)
    .map((s) => ({
      guarantee: capability,
      pod: s.name,
      expected: `${latencyMeaning[s.operation]} within ${budgetsS[s.operation].seconds} s`,
      seen: `${(s.ms / 1000).toFixed(1)} s`,
    }));
}

/** What growing a member's claim came to. */
export type Expansion =
  | { kind: "refused"; why: string }
  | { kind: "not grown"; why: string; waitedS: number }
  | {
      kind: "grown";
      requestedBytes: number;
      capacityBytes: number;
      fsBefore: number;
      fsAfter: number;
      dataKept: boolean;
    };

/**
 * Expansion claimed: the claim grown to at least the size asked, the filesystem the pod sees
 * larger than before, the member's data unchanged. A refusal or a claim never grown breaks it.
 */
export function checkExpansion(pod: string, claim: string, e: Expansion): Violation[] {
  const v = (expected: string, seen: string): Violation => ({ guarantee: "expansion", pod, expected, seen });
  switch (e.kind) {
    case "refused":
      return [v(`claim ${claim} grown (expansion claimed)`, `the API server refused: ${e.why}`)];
    case "not grown":
      return [v(`claim ${claim} grown within ${e.waitedS} s (expansion claimed)`, e.why)];
    case "grown": {
      const out: Violation[] = [];
      if (e.capacityBytes < e.requestedBytes)
        out.push(v(`claim ${claim}'s capacity at least ${e.requestedBytes} bytes`, `${e.capacityBytes} bytes`));
      if (e.fsAfter <= e.fsBefore)
        out.push(v(`the filesystem ${pod} sees larger than its ${e.fsBefore} bytes before`, `${e.fsAfter} bytes`));
      if (!e.dataKept) out.push(v(`${pod}'s data on claim ${claim} unchanged by the expansion`, "its payload changed"));
      return out;
    }
  }
}

/** The data directory's group and mode, as `stat -c '%g %A'` prints them. */
export function checkFsGroup(pod: string, statLine: string, fsGroup: number): Violation[] {
  const [gid, mode] = statLine.trim().split(/\s+/);
  const out: Violation[] = [];
  const v = (expected: string, seen: string) => out.push({ guarantee: "fs-group", pod, expected, seen });
  if (Number(gid) !== fsGroup) v(`the volume's group ${fsGroup} (the pod's fsGroup)`, `group ${gid ?? "?"}`);
  if (!/^d.....s/.test(mode ?? ""))
    v("the volume's directory setgid (new files take the fsGroup)", `mode ${mode ?? "?"}`);
  return out;
}

/** Where a drained member was seen after its eviction. */
export type AfterDrain =
  | { kind: "ready elsewhere"; node: string; ms: number }
  | { kind: "pending"; message: string }
  | { kind: "not back"; state: string; waitedS: number };

/**
 * The drain check against the topology the class is expected to have: a movable volume (zonal,
 * any-node) brings its member back Ready on another node within the budget; a node-pinned one
 * keeps it Pending until its node is uncordoned. Either way the words name the capability, the
 * member's volume and where its data is.
 */
export function checkDrainTopology(
  o: { pod: string; node: string; topology: Topology; volume: string; pinnedTo: string[]; budgetS: number },
  seen: AfterDrain,
): Violation[] {
  const data = `its data (volume ${o.volume}) ${o.pinnedTo.length > 0 ? `pinned to ${o.pinnedTo.join(", ")}` : "reachable from every node"}`;
  const v = (expected: string, what: string): Violation[] => [
    { guarantee: "drain", pod: o.pod, expected, seen: `${what}; ${data}` },
  ];
  if (o.topology === "node-pinned") {
    if (seen.kind === "ready elsewhere")
      return v(
        `${o.pod} Pending until ${o.node} is uncordoned (topology node-pinned: the volume stays with its node)`,
        `Ready on ${seen.node} after ${(seen.ms / 1000).toFixed(1)} s: the volume moved, so the class is not node-pinned`,
      );
    return seen.kind === "pending" ? [] : v(`${o.pod} recreated and Pending on its cordoned node`, seen.state);
  }
  const expected = `${o.pod} Ready on another node than ${o.node} within ${o.budgetS} s (topology ${o.topology}: the volume moves with it)`;
  switch (seen.kind) {
    case "ready elsewhere":
      return seen.ms <= o.budgetS * 1000
        ? []
        : v(expected, `Ready on ${seen.node} after ${(seen.ms / 1000).toFixed(1)} s`);
    case "pending":
      return v(expected, `Pending: ${seen.message}`);
    case "not back":
      return v(expected, `not back after ${seen.waitedS} s: ${seen.state}`);
  }
}
