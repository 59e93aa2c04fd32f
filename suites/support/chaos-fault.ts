// One fault of a chaos run, end to end: injected on the path that reaches its target (the fault
// catalogue's), held (a node fault until its members are evicted, then the hold window), undone and
// verified; then the set's recovery awaited: every member Ready and acknowledging writes, and still
// so over a settle window. chaos-run.ts strings these together and judges each.
import type * as k8s from "@kubernetes/client-node";
import { chaosSet, type ScheduledFault } from "../../harness/chaos/schedule.js";
import { faultEntry, scopeOf } from "../../harness/chaos/catalogue.js";
import { setting } from "../../harness/config/settings.js";
import { Timeouts } from "../../harness/config/timeouts.js";
import { apiServerRestarted } from "../../harness/faults/api-server-restart.js";
import { isNodeFaultKind, nodeFault } from "../../harness/faults/node-faults.js";
import type { Fault } from "../../harness/faults/undo.js";
import { controllersLeading } from "../../harness/kube/leaders.js";
import { WaitTimeout } from "../../harness/kube/watch.js";
import { kindClusterName } from "../../harness/run/conditions.js";
import { ordinalOf, podName } from "../../harness/statefulset/naming.js";
import type { TimelineEntry } from "../../harness/timeline/entry.js";
import { holdFrom, quietWindow } from "../../harness/timeline/quiet-window.js";
import type { Writer } from "../../harness/workload/writer.js";
import type { Scenario } from "./scenario.js";

const replicas = chaosSet.replicas;
const cluster = kindClusterName();
/** How long a node fault is held once its members were evicted (or at all, with none on it), before its undo. */
export const holdMs = setting("chaosHoldS") * 1000;
export const settleMs = setting("chaosSettleS") * 1000;
/** How far past its budget a recovery is still waited for before it is called not recovered. */
const recoveryMarginMs = 30_000;

/** A node or control-plane fault, held and undone: on its node by the path that reaches it; the API server on kind's control plane. */
function faultFor(s: Scenario, f: ScheduledFault): Fault | undefined {
  const kind = f.fault;
  if (isNodeFaultKind(kind)) return nodeFault(s.kube, f.target, kind);
  if (scopeOf[kind] === "control-plane" && cluster !== undefined) return apiServerRestarted(s.kube, cluster);
  return undefined;
}

/** How long before a fault's own lift its window is closed: the undo's mark must come first. */
const beforeLiftMs = 2_000;

/**
 * Holds a node fault until each member on the node is evicted (Terminating), as far as the control
 * plane goes within its bound, then for the hold window; returns the members evicted. A fault that
 * lifts itself (by a privileged pod) is its own hold: the waits end before its lift.
 */
async function holdNodeFault(s: Scenario, from: number, onNode: string[], fault: Fault): Promise<string[]> {
  const lifts = fault.liftsItselfAt;
  const deadline = lifts === undefined ? Infinity : lifts - beforeLiftMs;
  const evicted: string[] = [];
  for (const pod of onNode) {
    const ordinal = ordinalOf(s.set, pod) ?? -1;
    const terminating = (p: k8s.V1Pod) => p.metadata?.deletionTimestamp !== undefined;
    const bound = Math.min(Timeouts.nodeLossEvictionMs, deadline - Date.now());
    const seen =
      bound > 0
        ? await s.observe
            .pod(ordinal, "evicted (Terminating)", terminating, bound)
            .catch((e: unknown) => (e instanceof WaitTimeout ? undefined : Promise.reject(e)))
        : undefined;
    if (seen) evicted.push(pod);
  }
  if (lifts === undefined) await holdFrom(s.recorder, from, holdMs);
  else await s.recorder.catchUp();
  return evicted;
}

/**
 * Injects one fault, holds it (node faults), undoes it; returns its window (to the fault's lift:
 * from then on the kubelet may confirm an eviction), when recovery is timed from, and the members
 * evicted in the window.
 */
export async function inject(
  s: Scenario,
  f: ScheduledFault,
  onNode: string[],
): Promise<{ from: number; until: number; recoverFromMs: number; evicted: string[] }> {
  const from = await s.recorder.markAction(`chaos #${f.iteration}: ${f.fault} ${f.target}`);
  const { member, timedFromStart } = faultEntry(f.fault);
  if (member) {
    const startedAt = Date.now();
    await member(s.act, f.target);
    return { from, until: from, recoverFromMs: timedFromStart ? startedAt : Date.now(), evicted: [] };
  }
  const fault = faultFor(s, f);
  if (!fault) throw new Error(`no fault to make for ${f.fault}`);
  const applied = await s.act.apply(fault);
  // A node fault is held past its members' eviction; an API server restart is its own length (the
  // undo waits until it is back), and a window's catch-up could not read the timeline meanwhile.
  const evicted = scopeOf[f.fault] === "node" ? await holdNodeFault(s, from, onNode, applied) : [];
  // Recovery counts from the lift: the node's return is part of it.
  const liftedAt = Math.max(Date.now(), applied.liftsItselfAt ?? 0);
  const until = await s.act.undo(applied);
  return { from, until, recoverFromMs: liftedAt, evicted };
}

export const membersOf = (s: Scenario) => Array.from({ length: replicas }, (_, i) => podName(s.set, i));

/** A member pod seen not Ready, or gone: the set is not whole. */
const memberFalters = (e: TimelineEntry) =>
  e.kind === "Pod" && (e.type === "DELETED" || (e.pod !== undefined && (!e.pod.ready || e.pod.terminating)));

/**
 * When the set was whole again after a fault: every member Ready and acknowledging writes, and
 * none faltering over the settle window that follows (after an API server restart the node
 * controller marked two members NotReady 4 s after the set looked whole; they were back 80 s later).
 */
export async function recovered(
  s: Scenario,
  writer: Writer,
  f: ScheduledFault,
  deadline: number,
): Promise<{ at: number } | { never: string }> {
  const members = membersOf(s);
  // Waited for as long as the budget allows, and a margin: a set slower than that is over budget
  // (BROKEN, naming what was not back), never a wait that timed out (inconclusive).
  const left = () => Math.max(1000, deadline + recoveryMarginMs - Date.now());
  for (;;) {
    if (scopeOf[f.fault] === "control-plane") await controllersLeading(s.kube); // they lose their leadership
    try {
      await s.observe.readyPods(replicas, 0, left());
      await writer.acknowledgedMore(members, 1, left());
    } catch (e) {
      if (e instanceof WaitTimeout && Date.now() >= deadline) return { never: e.message };
      throw e;
    }
    const wholeAt = Date.now();
    const from = await s.recorder.markAction(`chaos #${f.iteration}: whole; settling for ${settleMs / 1000} s`);
    if ((await quietWindow(s.recorder, from, settleMs, memberFalters)).length === 0) return { at: wholeAt };
    if (Date.now() > deadline) return { at: Date.now() }; // still faltering past its budget: over budget, not stuck
  }
}

/** The members that were on `node` when the fault began. */
export async function membersOn(s: Scenario, node: string): Promise<string[]> {
  const pods = await s.observe.readyPods(replicas);
  return [...pods.values()].filter((p) => p.spec?.nodeName === node).map((p) => p.metadata?.name ?? "");
}
