// What `upgrade check` asserts, as pure functions over the baseline, what the cluster holds after
// the upgrade, and the timeline `upgrade watch` recorded during it. Unit-tested on hand-made
// timelines (checks.test.ts); the specs in suites/upgrade.test.ts apply them.
import { unavailable } from "../checks/availability.js";
import { checkNotReplacedWhileUnreachable } from "../checks/node-loss.js";
import { checkOrderedCreation } from "../checks/ordering.js";
import { podName } from "../statefulset/naming.js";
import type { TimelineEntry } from "../timeline/entry.js";
import { replay, setPodGaps, startsTerminating, type CheckResult, type Gap } from "../timeline/replay.js";
import type { Violation } from "../verdict/violation.js";
import type { Baseline, MemberBaseline, SetBaseline } from "./baseline.js";

/** What a claim is bound to now. */
export interface Binding {
  volume: string;
  volumeHandle: string;
}

/** G10: every member's claim is bound to the same volume, with the same storage behind it, as before. */
export function checkSameVolumes(members: MemberBaseline[], now: Map<string, Binding | undefined>): Violation[] {
  return members.flatMap((m): Violation[] => {
    const b = now.get(m.claim);
    const expected = `claim ${m.claim} bound to ${m.volume} (${m.volumeHandle}), as before the upgrade`;
    if (!b) return [{ guarantee: "G10", pod: m.pod, expected, seen: `claim ${m.claim} gone` }];
    if (b.volume !== m.volume || b.volumeHandle !== m.volumeHandle)
      return [
        {
          guarantee: "G10",
          pod: m.pod,
          expected,
          seen: `bound to ${b.volume || "nothing"} (${b.volumeHandle || "-"})`,
        },
      ];
    return [];
  });
}

/** G9: every member's baseline file reads back with the checksum it had. */
export function checkBaselineData(members: MemberBaseline[], now: Map<string, string>): Violation[] {
  return members.flatMap((m): Violation[] => {
    const sum = now.get(m.pod) ?? "";
    if (sum === m.checksum) return [];
    return [
      {
        guarantee: "G9",
        pod: m.pod,
        expected: `its data as written before the upgrade (sha256 ${m.checksum.slice(0, 12)}…)`,
        seen: sum ? `sha256 ${sum.slice(0, 12)}…` : "the file is gone",
      },
    ];
  });
}

/** A set's revisions as its status reports them, and each member's (its controller-revision-hash label). */
export interface Revisions {
  currentRevision: string;
  updateRevision: string;
  members: Map<string, string>;
}

/**
 * G26 through an upgrade: the upgrade rolled out nothing. A new control plane that hashes the same
 * template differently (a field defaulted anew) makes a new revision and replaces every member: a
 * rollout nobody asked for, in the middle of the upgrade. Each set's revisions and every member's
 * are the baseline's.
 */
export function checkNoRollout(sets: SetBaseline[], now: Map<string, Revisions>): Violation[] {
  return sets.flatMap((s): Violation[] => {
    const r = now.get(s.name);
    const expected = `${s.name} at its revision ${s.currentRevision} (no rollout started by the upgrade)`;
    if (!r) return [{ guarantee: "G26", pod: s.name, expected, seen: "the set is gone" }];
    const moved =
      r.currentRevision !== s.currentRevision || r.updateRevision !== s.updateRevision
        ? [
            {
              guarantee: "G26",
              pod: s.name,
              expected,
              seen: `currentRevision ${r.currentRevision}, updateRevision ${r.updateRevision}`,
            },
          ]
        : [];
    const members = s.members
      .filter((m) => r.members.get(m.pod) !== s.currentRevision)
      .map((m) => ({
        guarantee: "G26",
        pod: m.pod,
        expected,
        seen: `${m.pod} at revision ${r.members.get(m.pod) ?? "(none)"}`,
      }));
    return [...moved, ...members];
  });
}

/**
 * What a watch gap of one set can have hidden (an upgrade restarts the API server, so its watches
 * re-list, often while members come and go): the members not proven unchanged across it
 * (`uncertain`: see gapsIn), those of them replaced in it (another uid, or appeared or vanished:
 * a creation or removal unseen), and the members unavailable on both sides and unchanged
 * (`downThroughout`). A gap hides a violation only if these can add up to one.
 */
export interface GapView {
  gap: Gap;
  uncertain: string[];
  replaced: string[];
  downThroughout: string[];
}

export function gapViews(entries: TimelineEntry[], set: string): GapView[] {
  return setPodGaps(entries, set, 0).map((gap) => {
    const uncertain = gap.changed.map((c) => c.replace(/ (changed|appeared|vanished)$/, ""));
    const before = replay(entries.slice(0, gap.seq), set, Infinity, () => undefined);
    const listed = entries.slice(gap.seq + 1);
    const end = listed.findIndex((e) => e.type !== "LISTED");
    const after = new Map(
      (end < 0 ? listed : listed.slice(0, end)).filter((e) => e.kind === "Pod" && e.pod).map((e) => [e.name, e.pod]),
    );
    const replaced = uncertain.filter((n) => before.get(n)?.uid !== after.get(n)?.uid);
    const downThroughout = [...after.keys()].filter(
      (n) => !uncertain.includes(n) && unavailable(after.get(n)) && unavailable(before.get(n)),
    );
    return { gap, uncertain, replaced, downThroughout };
  });
}

/** The gaps in which a member may have been created or removed unseen (what G23 and creation order judge). */
export const gapsHidingReplacements = (entries: TimelineEntry[], set: string): Gap[] =>
  gapViews(entries, set)
    .filter((v) => v.replaced.length > 0)
    .map((v) => v.gap);

/** Whether more than `limit` members may have been unavailable at once in the gap, unseen. */
const hidesUnavailability = (v: GapView, limit: number) => v.uncertain.length + v.downThroughout.length > limit;

/** The nodes NotReady at each moment of a replay: call with each entry's seq, in order. */
function notReadyNodes(entries: TimelineEntry[]): (seq: number) => Set<string> {
  const changes = entries.filter((e) => e.kind === "Node" && e.node);
  const down = new Set<string>();
  let next = 0;
  return (seq) => {
    for (; next < changes.length && (changes[next]?.seq ?? Infinity) <= seq; next++) {
      const c = changes[next];
      if (c?.node?.ready === false) down.add(c.name);
      else if (c) down.delete(c.name);
    }
    return down;
  };
}

/**
 * G25 (a PodDisruptionBudget honoured by voluntary disruptions): no member is removed (it starts
 * terminating, or its object goes) while `maxUnavailable` or more of the others are unavailable,
 * as an eviction would have been refused then; and no member is unavailable longer than `budgetMs`
 * in one stretch (on the recorder's clock). Members not Ready in place (their node NotReady while
 * the control plane restarts, a probe) are unavailable all the same, and count against the budget
 * as they do for the Eviction API, but they are no disruption themselves: no budget governs them.
 * Nor is a removal from a NotReady node (the node's loss, not a drain). Returns each member's
 * longest stretch, the most unavailable at once, and how many removals were judged.
 */
export function checkBudgetHeld(
  entries: TimelineEntry[],
  set: string,
  replicas: number,
  maxUnavailable: number,
  budgetMs: number,
): CheckResult & { longestMs: Map<string, number>; peak: number; removals: number } {
  const violations: Violation[] = [];
  const nodesDown = notReadyNodes(entries);
  let removals = 0;
  const names = Array.from({ length: replicas }, (_, i) => podName(set, i));
  const downSince = new Map<string, number>();
  const longestMs = new Map(names.map((n) => [n, 0]));
  let peak = 0;
  const overBudget = new Set<string>();
  const gaps = gapViews(entries, set);
  /** Gaps that leave an over-budget stretch undecided: its member was seen back only by the re-list. */
  const undecided = new Set<Gap>();
  const close = (name: string, e: { t: number; seq: number; type: string }) => {
    const since = downSince.get(name);
    if (since === undefined) return;
    const ms = e.t - since;
    longestMs.set(name, Math.max(longestMs.get(name) ?? 0, ms));
    if (ms <= budgetMs || overBudget.has(name)) return;
    overBudget.add(name);
    // back as a re-list shows it: back at some moment in the gap, so the stretch is at most this
    const inGap = e.type === "LISTED" ? gaps.filter((g) => g.gap.seq < e.seq).at(-1)?.gap : undefined;
    if (inGap) undecided.add(inGap);
    violations.push({
      guarantee: "G25",
      pod: name,
      expected: `${name} unavailable at most ${budgetMs / 1000} s at a time`,
      seen: `unavailable for ${inGap ? "at most " : ""}${(ms / 1000).toFixed(1)} s`,
      seq: e.seq,
      ...(inGap ? { absence: true as const } : {}),
    });
  };
  let listing = true;
  replay(entries, set, 0, (e, _ordinal, before, after) => {
    // The first list arrives one entry at a time: the members it has not reached yet are not away.
    // (A re-list keeps the members it has not reached at their last state: judged as they come.)
    if (e.type === "LISTED" && listing) return;
    listing = false;
    const was = before.get(e.name);
    const notReady = nodesDown(e.seq);
    if (names.includes(e.name) && !unavailable(was) && startsTerminating(e, was) && !notReady.has(was?.node ?? "")) {
      removals++;
      const others = names.filter((n) => n !== e.name && unavailable(before.get(n)));
      if (others.length >= maxUnavailable)
        violations.push({
          guarantee: "G25",
          pod: e.name,
          expected: `${e.name} removed only while fewer than ${maxUnavailable} other member(s) are unavailable (the set's PodDisruptionBudget)`,
          seen: `${e.name} removed while ${others.join(", ")} ${others.length === 1 ? "was" : "were"} unavailable`,
          seq: e.seq,
        });
    }
    const down = names.filter((n) => unavailable(after.get(n)));
    for (const n of names) {
      if (down.includes(n) && !downSince.has(n)) downSince.set(n, e.t);
      if (!down.includes(n) && downSince.has(n)) {
        close(n, e);
        downSince.delete(n);
      }
    }
    peak = Math.max(peak, down.length);
  });
  const last = entries.at(-1); // entries arrive in time order
  for (const n of downSince.keys()) close(n, { t: last?.t ?? 0, seq: last?.seq ?? 0, type: "END" }); // still down at the end of the recording
  const hiding = gaps.filter((g) => hidesUnavailability(g, maxUnavailable)).map((g) => g.gap);
  return { violations, gaps: [...new Set([...hiding, ...undecided])], longestMs, peak, removals };
}

/** A node's NotReady stretch in the timeline: from the entry it went NotReady to the one it was Ready again. */
export interface NodeOutage {
  node: string;
  fromSeq: number;
  untilSeq: number;
}

export function nodeOutages(entries: TimelineEntry[]): NodeOutage[] {
  const open = new Map<string, number>();
  const outages: NodeOutage[] = [];
  for (const e of entries) {
    if (e.kind !== "Node" || !e.node) continue;
    if (!e.node.ready && !open.has(e.name)) open.set(e.name, e.seq);
    if (e.node.ready && open.has(e.name)) {
      outages.push({ node: e.name, fromSeq: open.get(e.name) ?? e.seq, untilSeq: e.seq });
      open.delete(e.name);
    }
  }
  const end = entries.length;
  for (const [node, fromSeq] of open) outages.push({ node, fromSeq, untilSeq: end });
  return outages;
}

/**
 * G23 (at most one pod per identity) through the upgrade: while a member's node was NotReady
 * (a kubelet restarting, a node the upgrade took away), its pod was not removed without its
 * kubelet's confirmation and no pod took its name. Each member on the node when it went NotReady.
 */
export function checkOneIdentityPerMember(entries: TimelineEntry[], set: string): CheckResult & { windows: number } {
  const results: CheckResult[] = [];
  for (const o of nodeOutages(entries)) {
    const live = replay(entries.slice(0, o.fromSeq + 1), set, Infinity, () => undefined);
    for (const [pod, p] of live)
      if (p.node === o.node) results.push(checkNotReplacedWhileUnreachable(entries, pod, o.fromSeq, o.untilSeq));
  }
  const replacedUnseen = new Set(gapsHidingReplacements(entries, set).map((g) => g.seq));
  return {
    violations: results.flatMap((r) => r.violations),
    gaps: results.flatMap((r) => r.gaps).filter((g) => replacedUnseen.has(g.seq)),
    windows: results.length,
  };
}

/**
 * G23 at every moment, not only in a node's NotReady window: a member's pod object is removed only
 * once its kubelet confirmed its containers stopped, which the kubelet shows by the terminal phase
 * (Succeeded or Failed) it writes before it lets the object go. A pod removed while still Running
 * (a force delete, the pod garbage collector on a node it gave up on) may still run beside the
 * replacement the controller makes at once. A pod that never reached a node had nothing to stop.
 */
export function checkRemovalsConfirmed(entries: TimelineEntry[], set: string): CheckResult {
  const violations: Violation[] = [];
  replay(entries, set, 0, (e, _ordinal, before) => {
    if (e.type !== "DELETED") return;
    const p = e.pod ?? before.get(e.name); // the object as it was removed
    if (!p || !p.node || p.phase === "Succeeded" || p.phase === "Failed" || p.phase === "Pending") return;
    violations.push({
      guarantee: "G23",
      pod: e.name,
      expected: `${e.name} removed only after its kubelet reported its containers stopped (phase Succeeded or Failed)`,
      seen: `${e.name} (uid ${p.uid}) removed while ${p.phase} on ${p.node}: its containers may still run beside a replacement`,
      seq: e.seq,
    });
  });
  return { violations, gaps: gapsHidingReplacements(entries, set) };
}

/**
 * G13 for the members an upgrade replaced (OrderedReady): the ordered-creation check, judged over
 * the gaps that can hide what it asserts: a creation unseen, or two members starting at once.
 */
export function checkReplacementOrder(entries: TimelineEntry[], set: string): CheckResult {
  const r = checkOrderedCreation(entries, set);
  const relevant = new Set(
    gapViews(entries, set)
      .filter((v) => v.replaced.length > 0 || hidesUnavailability(v, 1))
      .map((v) => v.gap.seq),
  );
  return { violations: r.violations, gaps: r.gaps.filter((g) => relevant.has(g.seq)) };
}

/** The members the upgrade replaced (a pod of the name with another uid than in the baseline). */
export function replacedMembers(entries: TimelineEntry[], baseline: Baseline): string[] {
  const before = new Map(baseline.sets.flatMap((s) => s.members.map((m) => [m.pod, m.uid] as const)));
  const replaced = new Set<string>();
  for (const e of entries)
    if (e.kind === "Pod" && e.pod && before.has(e.name) && e.pod.uid !== before.get(e.name)) replaced.add(e.name);
  return [...replaced].sort();
}

/** How many of the set's pods the timeline saw removed. */
export const removals = (entries: TimelineEntry[], set: string): number =>
  entries.filter((e) => e.kind === "Pod" && e.type === "DELETED" && e.name.startsWith(`${set}-`)).length;
