// Whether the watch's recording covers the upgrade: a judgement over a timeline is held only if the
// timeline saw the whole of what it judges. It must have started before anything changed (the API
// server at the baseline's version, its first node list at the baseline's), ended on the check's
// announcement with every node as the cluster has it now, caught up with the cluster at its end,
// and no stream of it may have lost the API server for good. Pure: the check reads the cluster and
// hands its nodes in.
import type { TimelineEntry } from "../timeline/entry.js";
import type { Baseline, NodeVersions } from "./baseline.js";
import type { Recording } from "./recording.js";

/** How the watch ends when `upgrade check` announces itself (Recording.endedBy). */
export const endedByCheck = "'upgrade check' started";

const troubles = new Set<TimelineEntry["type"]>(["ERROR", "RESUME_FAILED", "RELIST_FAILED"]);

/** A moment as the check prints it: the time of day (UTC), or that it is not known. */
export const clock = (iso: string | undefined) => iso?.slice(11, 19) ?? "an unknown time";

/** The wall-clock moment of an entry (its t is ms since the recording started). */
const at = (r: Recording, t: number) => clock(new Date(Date.parse(r.startedAt) + t).toISOString());

/** The node list a timeline started with: its Node entries up to the first that is not part of the first list. */
function firstNodes(entries: TimelineEntry[]): NodeVersions {
  const nodes = entries.filter((e) => e.kind === "Node");
  const end = nodes.findIndex((e) => e.type !== "LISTED");
  return Object.fromEntries(
    (end < 0 ? nodes : nodes.slice(0, end)).map((e) => [e.name, e.node?.kubeletVersion ?? ""] as const),
  );
}

/** The nodes as the timeline last saw them (a re-list drops those it does not hold). */
function lastNodes(entries: TimelineEntry[]): NodeVersions {
  const nodes = new Map<string, string>();
  for (const e of entries) {
    if (e.kind !== "Node") continue;
    if (e.type === "DELETED") nodes.delete(e.name);
    else if (e.type === "RELIST") {
      for (const n of [...nodes.keys()]) if (!e.listed?.includes(n)) nodes.delete(n);
    } else if (e.node) nodes.set(e.name, e.node.kubeletVersion);
  }
  return Object.fromEntries(nodes);
}

/** How two node lists differ, a phrase per node ("worker-2 v1.36.3 → v1.37.2", "worker-4 joined", "worker-1 gone"). */
export function nodeChanges(from: NodeVersions, to: NodeVersions): string[] {
  return [...new Set([...Object.keys(from), ...Object.keys(to)])].sort().flatMap((n) => {
    const a = from[n];
    const b = to[n];
    if (a === b) return [];
    if (a === undefined) return [`${n} joined (${b})`];
    if (b === undefined) return [`${n} gone (was ${a})`];
    return [`${n} ${a} → ${b}`];
  });
}

/** Streams of a timeline whose last word was trouble: they lost the API server and never came back. */
function lostStreams(r: Recording, set: string, entries: TimelineEntry[]): string[] {
  const last = new Map<string, TimelineEntry>();
  for (const e of entries) if (e.type !== "MARK") last.set(e.kind, e);
  return [...last.values()]
    .filter((e) => troubles.has(e.type))
    .map((e) => `${set}'s ${e.kind} watch failed at ${at(r, e.t)} (${e.type}) and did not resume`);
}

/**
 * What the recording does not cover, a phrase each; empty when it covers the upgrade. `nodesNow`
 * are the cluster's nodes as the check reads them.
 */
export function uncovered(b: Baseline, r: Recording | undefined, nodesNow: NodeVersions): string[] {
  if (!r) return ["no 'upgrade watch' recorded the upgrade"];
  const timelines = Object.entries(r.timelines);
  const nodeTimeline = timelines[0]?.[1] ?? [];
  const before = nodeChanges(b.nodes, firstNodes(nodeTimeline));
  const after = nodeChanges(lastNodes(nodeTimeline), nodesNow);
  const end = r.stoppedAt ?? r.writtenAt;
  return [
    ...(r.serverVersion !== b.serverVersion
      ? [
          `the watch started at ${clock(r.startedAt)}, after the API server was upgraded (${b.serverVersion} at the baseline, ${r.serverVersion} then)`,
        ]
      : []),
    ...(before.length > 0
      ? [`the watch started at ${clock(r.startedAt)}, after nodes changed since the baseline: ${before.join(", ")}`]
      : []),
    ...(r.stoppedAt === undefined
      ? [`the watch stopped at ${clock(end)} without finishing its recording (killed, or its process ended)`]
      : r.endedBy !== endedByCheck
        ? [`the watch was ended at ${clock(end)} by ${r.endedBy ?? "an unknown cause"}, before 'upgrade check' started`]
        : []),
    ...(r.stoppedAt !== undefined && r.caughtUp === false
      ? ["the watch could not confirm its last moments against the cluster (its final catch-up failed)"]
      : []),
    ...(after.length > 0 ? [`nodes changed after the watch's last sight of them: ${after.join(", ")}`] : []),
    // a stream quiet since it resumed ends on its failure all the same: the final catch-up, which
    // found every stream at a fresh list, settles that; without it the failure is a gap to the end
    ...(r.caughtUp === true ? [] : timelines.flatMap(([set, entries]) => lostStreams(r, set, entries))),
  ];
}

/**
 * The upgrade's window as the recording saw it: from its first node change (a cordon, a kubelet
 * NotReady or at a new version) to its last (ms, wall clock); undefined when it saw none.
 */
export function upgradeWindow(r: Recording): { fromMs: number; toMs: number } | undefined {
  const changes = (Object.values(r.timelines)[0] ?? []).filter(
    (e) => e.kind === "Node" && e.node && e.type !== "LISTED" && e.type !== "RELIST",
  );
  const first = changes[0];
  const last = changes.at(-1);
  if (!first || !last) return undefined;
  const start = Date.parse(r.startedAt);
  return { fromMs: start + first.t, toMs: start + last.t };
}
