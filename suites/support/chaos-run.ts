// The chaos engine: a seeded sequence of faults, one at a time, on a Ready set while a writer
// appends to every member; each fault followed by recovery (every member Ready and acknowledging
// writes again, and still so over a settle window), timed against its budget. suites/chaos.test.ts
// tells the story; this holds the mechanics.
import type * as k8s from "@kubernetes/client-node";
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DataVolume } from "../../fixtures/web-statefulset.js";
import type { Budgets } from "../../harness/chaos/budgets.js";
import { faultEntry, scopeOf, type FaultKind } from "../../harness/chaos/catalogue.js";
import type { ChaosPlan } from "../../harness/chaos/options.js";
import {
  faultLine,
  historyLine,
  toPrometheus,
  formatStats,
  g23Windows,
  type IterationProblem,
  type IterationResult,
  type RunResult,
} from "../../harness/chaos/results.js";
import { chaosSet, chaosTargets, faultSequence, runIsOver, type ScheduledFault } from "../../harness/chaos/schedule.js";
import { checkNotReplacedWhileUnreachable } from "../../harness/checks/node-loss.js";
import { faultNodeKey } from "../../harness/config/fault-node.js";
import { paths } from "../../harness/config/paths.js";
import { setting } from "../../harness/config/settings.js";
import { apiServerRestarted } from "../../harness/faults/api-server-restart.js";
import { isNodeFaultKind, nodeFault, nodeFaultPath } from "../../harness/faults/node-faults.js";
import type { Fault } from "../../harness/faults/undo.js";
import { controllersLeading } from "../../harness/kube/leaders.js";
import { progress } from "../../harness/report/progress.js";
import { chaosJUnit } from "../../harness/report/chaos-junit.js";
import { runProperties } from "../../harness/report/run-properties.js";
import { recoveryPicture } from "../../harness/report/recovery-picture.js";
import { attach, step } from "../../harness/report/step.js";
import { kindClusterName, type RunCondition } from "../../harness/run/conditions.js";
import { ordinalOf, podName } from "../../harness/statefulset/naming.js";
import { Timeouts } from "../../harness/config/timeouts.js";
import { WaitTimeout } from "../../harness/kube/watch.js";
import { GuaranteeBroken, Inconclusive } from "../../harness/verdict/verdict.js";
import type { TimelineEntry } from "../../harness/timeline/entry.js";
import { holdFrom, quietWindow } from "../../harness/timeline/quiet-window.js";
import { formatGap, type CheckResult } from "../../harness/timeline/replay.js";
import { checkNothingLost, describeLedger, lostCount, unseenCount } from "../../harness/workload/ledger.js";
import type { Scenario } from "./scenario.js";
import type { Writer } from "../../harness/workload/writer.js";

const replicas = chaosSet.replicas;
/** The set's PodDisruptionBudget: a fault that would take more members at once is skipped, not made. */
const budgetOfDisruptions = 1;
const cluster = kindClusterName();
/** On kind (a control plane and two workers, the suite's own) one member per node, so a node fault takes one. */
const spread = cluster !== undefined;
/** How long a node fault is held once its members were evicted (or at all, with none on it), before its undo. */
export const holdMs = setting("chaosHoldS") * 1000;
/**
 * The members' unreachable and not-ready toleration: short, so a held node fault evicts the member
 * on the node (Terminating while its kubelet cannot confirm) and G23 has something to hold; with
 * the API's 300 s no eviction happens within a fault, and G23 could not fail (N2).
 */
const unreachableTolerationS = 5;
const settleMs = setting("chaosSettleS") * 1000;
/** How far past its budget a recovery is still waited for before it is called not recovered. */
const recoveryMarginMs = 30_000;

/**
 * The kinds a run can inject here of those asked: off kind, the member faults, and kubelet-stop
 * and partition by a privileged pod (the CLI asked for the opt-in); the others need kind's node
 * containers and control plane.
 */
export const kindsToRun = (asked: FaultKind[]): FaultKind[] =>
  asked.filter(
    (k) => scopeOf[k] === "member" || (isNodeFaultKind(k) ? nodeFaultPath(k) !== undefined : cluster !== undefined),
  );

/**
 * The chaos check runs only when every kind asked can be made here: a run that silently drops the
 * node and control-plane faults would report G23 and "writes survive node faults" held on pod
 * faults alone (N1). Ask for pod faults only (--faults) to run those off kind.
 */
export const everyKindRuns = (asked: FaultKind[]): RunCondition => {
  const runnable = kindsToRun(asked);
  const dropped = asked.filter((k) => !runnable.includes(k));
  return {
    holds: dropped.length === 0,
    reason: `${dropped.join(", ")} act on kind's node containers or control plane: not run off the suite's kind cluster`,
  };
};

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
async function inject(
  s: Scenario,
  f: ScheduledFault,
  onNode: string[],
): Promise<{ from: number; until: number; recoverFromMs: number; evicted: string[] }> {
  const from = s.recorder.mark(`chaos #${f.iteration}: ${f.fault} ${f.target}`);
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

const membersOf = (s: Scenario) => Array.from({ length: replicas }, (_, i) => podName(s.set, i));

/** A member pod seen not Ready, or gone: the set is not whole. */
const memberFalters = (e: TimelineEntry) =>
  e.kind === "Pod" && (e.type === "DELETED" || (e.pod !== undefined && (!e.pod.ready || e.pod.terminating)));

/**
 * When the set was whole again after a fault: every member Ready and acknowledging writes, and
 * none faltering over the settle window that follows (after an API server restart the node
 * controller marked two members NotReady 4 s after the set looked whole; they were back 80 s later).
 */
async function recovered(
  s: Scenario,
  writer: Writer,
  f: ScheduledFault,
  deadline: number,
): Promise<{ at: number } | { never: string }> {
  const members = membersOf(s);
  // Waited for as long as the budget allows, and a margin: a set slower than that is over budget
  // (BROKEN, naming what was not back), never a wait that timed out (inconclusive) (N4).
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
    const from = s.recorder.mark(`chaos #${f.iteration}: whole; settling for ${settleMs / 1000} s`);
    if ((await quietWindow(s.recorder, from, settleMs, memberFalters)).length === 0) return { at: wholeAt };
    if (Date.now() > deadline) return { at: Date.now() }; // still faltering past its budget: over budget, not stuck
  }
}

/** The members that were on `node` when the fault began. */
async function membersOn(s: Scenario, node: string): Promise<string[]> {
  const pods = await s.observe.readyPods(replicas);
  return [...pods.values()].filter((p) => p.spec?.nodeName === node).map((p) => p.metadata?.name ?? "");
}

/** One fault: steady state first, then the fault, then recovery, timed; what did not hold, in words. */
async function iterate(s: Scenario, writer: Writer, f: ScheduledFault, budgets: Budgets): Promise<IterationResult> {
  const members = membersOf(s);
  await step(
    `#${f.iteration} steady: controllers leading, every member Ready and writing, the budget allowing a disruption`,
    async () => {
      await controllersLeading(s.kube);
      await s.observe.readyPods(replicas);
      await writer.acknowledgedMore(members, 3);
      await s.observe.budgetAllows(budgetOfDisruptions);
    },
  );
  const onNode = scopeOf[f.fault] === "node" ? await membersOn(s, f.target) : [];
  const rssBytes = () => process.memoryUsage().rss;
  if (onNode.length > budgetOfDisruptions) {
    const skipped = `node ${f.target} holds ${onNode.join(", ")}; the budget allows ${budgetOfDisruptions} disruption(s)`;
    await attach(`#${f.iteration} skipped: ${f.fault} ${f.target}`, skipped);
    const budgetMs = budgets[f.fault] * 1000;
    return { ...f, recoveryMs: 0, budgetMs, problems: [], skipped, rssBytes: rssBytes() };
  }
  const window = await step(`#${f.iteration} act: ${f.fault} ${f.target}`, () => inject(s, f, onNode));
  const budgetMs = budgets[f.fault] * 1000;
  const recovery = await step(
    `#${f.iteration} observe: recovered (every member Ready and acknowledging writes, and still so ${settleMs / 1000} s later)`,
    () => recovered(s, writer, f, window.recoverFromMs + budgetMs),
  );
  const recoveryMs = ("at" in recovery ? recovery.at : Date.now()) - window.recoverFromMs;
  const held: CheckResult[] = onNode.map((pod) =>
    checkNotReplacedWhileUnreachable(s.recorder.entries, pod, window.from, window.until),
  );
  const gaps = held.flatMap((r) => r.gaps);
  const overBudget = `over budget: ${(recoveryMs / 1000).toFixed(1)} s > ${budgets[f.fault]} s`;
  const notBack =
    "never" in recovery
      ? `not recovered ${(recoveryMs / 1000).toFixed(0)} s after the fault: ${recovery.never}`
      : undefined;
  const problems: IterationProblem[] = [
    ...(notBack ? [{ guarantee: "recovery budget" as const, text: notBack }] : []),
    ...(!notBack && recoveryMs > budgetMs ? [{ guarantee: "recovery budget" as const, text: overBudget }] : []),
    ...held.flatMap((r) =>
      r.violations.map((v) => ({
        guarantee: "G23" as const,
        text: `${v.guarantee} ${v.pod}: expected ${v.expected}; seen ${v.seen}`,
      })),
    ),
  ];
  return {
    ...f,
    recoveryMs,
    budgetMs,
    problems,
    rssBytes: rssBytes(),
    ...(scopeOf[f.fault] === "node" ? { g23: { members: onNode, evicted: window.evicted } } : {}),
    ...(gaps.length > 0 ? { undecided: `G23 in its window: ${gaps.map(formatGap).join("; ")}` } : {}),
    ...(notBack ? { unrecovered: true } : {}),
  };
}

/** The iteration the suite could not finish: inconclusive, and the run stops there. */
const unfinished = (f: ScheduledFault, budgets: Budgets, e: unknown): IterationResult => ({
  ...f,
  recoveryMs: NaN,
  budgetMs: budgets[f.fault] * 1000,
  problems: [],
  error: e instanceof Error ? e.message : String(e),
  rssBytes: process.memoryUsage().rss,
});

/** The set a chaos run writes to: on its claims, or on emptyDir (a control); Ready a while after each start (a control). */
export interface ChaosFixture {
  dataVolume: DataVolume;
  readyAfterS?: number;
}

/**
 * A run finished, with its lost-writes check; or cut short (a fault not undone, the cluster
 * unreachable), with why, and the lost-writes check too when the journals could still be read:
 * acknowledged writes lost are BROKEN however the run ended (N4).
 */
type ChaosOutcome = { result: RunResult } & (
  { finished: true; lost: CheckResult } | { finished: false; cutShort: unknown; lost?: CheckResult }
);

/**
 * A chaos run on a Ready set: the writer throughout, faults from the seeded sequence until the
 * time is up (every kind at least once). Returns the results and the lost-writes check, read after
 * the writer's ledger froze. An iteration that cannot finish ends the run; what was done is kept.
 */
export async function chaosRun(s: Scenario, plan: ChaosPlan, fixture: ChaosFixture): Promise<ChaosOutcome> {
  const { dataVolume, readyAfterS } = fixture;
  await step(
    `arrange: a set of ${replicas} on ${dataVolume === "claim" ? "its claims" : "emptyDir"}, Ready` +
      `${readyAfterS ? ` ${readyAfterS} s after each start` : ""}` +
      `${spread ? ", one member per node" : ""}; a budget of ${budgetOfDisruptions} disruption`,
    async () => {
      // slow starts overlap when the pods start together
      const podManagementPolicy = readyAfterS ? "Parallel" : "OrderedReady";
      await s.readySet({
        replicas,
        dataVolume,
        readyAfterS,
        podManagementPolicy,
        onEveryNode: spread,
        unreachableTolerationS,
      });
      await s.act.createBudget(budgetOfDisruptions);
    },
  );
  const nodes = (await s.kube.core.listNode()).items
    // the workers its members are on: not the control plane, nor the node reserved for node-loss tests
    .filter(
      (n) =>
        !["node-role.kubernetes.io/control-plane", faultNodeKey].some((l) => n.metadata?.labels?.[l] !== undefined),
    )
    .map((n) => n.metadata?.name ?? "");
  const writer = await step("arrange: the writer, appending to every member", () =>
    s.act.startWriter(replicas, { onControlPlane: cluster !== undefined }),
  );
  const startedAt = new Date();
  const rssStartBytes = process.memoryUsage().rss;
  try {
    const { iterations, cutShort } = await s.alone(async () => {
      const done: IterationResult[] = [];
      const sequence = faultSequence(plan.seed, plan.faults, chaosTargets(nodes), s.set);
      while (!runIsOver(done, plan.faults, Date.now() - startedAt.getTime(), plan.durationMs)) {
        const f = sequence.next().value as ScheduledFault;
        try {
          const result = await iterate(s, writer, f, plan.budgets);
          done.push(result);
          reportFault(startedAt, plan.seed, result);
          if (result.unrecovered) break; // a set not whole again takes no further fault: the run ends, failed
        } catch (e) {
          done.push(unfinished(f, plan.budgets, e));
          reportFault(startedAt, plan.seed, done.at(-1) as IterationResult);
          return { iterations: done, cutShort: e };
        }
      }
      return { iterations: done, cutShort: undefined };
    });
    const ledger = writer.stop();
    // After the ledger froze: it holds nothing newer. A run cut short may have no cluster to read.
    const journals = await s.probe.journals(replicas).catch((e: unknown) => {
      if (cutShort === undefined) throw e;
      return undefined;
    });
    const result: RunResult = {
      seed: plan.seed,
      startedAt: startedAt.toISOString(),
      iterations,
      lostWrites: journals && lostCount(ledger, journals),
      acknowledgedWrites: [...ledger.values()].reduce((n, l) => n + l.ackCount, 0),
      unseenWrites: unseenCount(ledger),
      rssStartBytes,
      rssEndBytes: process.memoryUsage().rss,
    };
    progress(`chaos results:\n${formatStats(result)}`);
    await attach("chaos results", `${formatStats(result)}\n\n${describeLedger(ledger)}`);
    await attach("recovery times", recoveryPicture(result), "image/svg+xml");
    const lost = journals && checkNothingLost(ledger, journals);
    if (cutShort !== undefined || lost === undefined) return { result, finished: false, cutShort, lost };
    return { result, finished: true, lost };
  } finally {
    writer.stop();
  }
}

/** Each iteration's problems as violations: over budget, or G23 broken in its window. */
export const iterationProblems = (r: RunResult): CheckResult => ({
  violations: r.iterations.flatMap((i) =>
    i.problems.map((p) => ({
      guarantee: p.guarantee,
      pod: i.target,
      expected: `recovery within ${i.budgetMs / 1000} s, and at most one pod per identity`,
      seen: `#${i.iteration} ${i.fault}: ${p.text}`,
    })),
  ),
  gaps: [],
});

/**
 * G23 over the run, beyond its violations (iterationProblems): decided in every node-fault window,
 * and exercised in at least one (a member evicted while its node was cut off); otherwise the run
 * cannot say G23 held. Returns what was exercised, in words.
 */
export function g23Exercised(r: RunResult): string {
  const undecided = r.iterations.filter((i) => i.undecided !== undefined);
  if (undecided.length > 0)
    throw new Inconclusive(undecided.map((i) => `#${i.iteration} ${i.fault} ${i.target}: ${i.undecided}`).join("; "));
  const { windows, exercised, evictions } = g23Windows(r.iterations);
  if (exercised === 0)
    throw new Inconclusive(`G23 not exercised: no member was evicted in any of ${windows} node-fault window(s)`);
  return `${windows} node-fault window(s), ${exercised} with a member evicted in it, ${evictions} eviction(s) in all`;
}

/**
 * A budget control's second half: each recovery was timed to the slow members' return, not merely
 * longer than a budget every recovery exceeds (N12); a recovery timed short means the control missed.
 */
export function recoveriesTimedAtLeast(r: RunResult, ms: number): void {
  const short = r.iterations.filter((i) => i.skipped === undefined && !(i.recoveryMs >= ms));
  if (short.length === 0) return;
  const seen = short.map((i) => `#${i.iteration} ${i.fault} ${(i.recoveryMs / 1000).toFixed(1)} s`);
  throw new GuaranteeBroken(`recovery timed short of the members' ${ms / 1000} s start: ${seen.join("; ")}`);
}

/**
 * Every kind asked was made at least once: a kind skipped each time (it would have taken more
 * members than the budget allows) was not tried, and the run cannot say the set survives it (N12).
 */
export function everyKindMade(r: RunResult, kinds: FaultKind[]): void {
  const made = new Set(
    r.iterations.filter((i) => i.skipped === undefined && i.error === undefined).map((i) => i.fault),
  );
  const never = kinds.filter((k) => !made.has(k));
  if (never.length === 0) return;
  const why = never.map((k) => `${k} (${r.iterations.find((i) => i.fault === k)?.skipped ?? "not reached"})`);
  throw new Inconclusive(`never made, so not tried: ${why.join("; ")}`);
}

/** A fault as it completes: its progress line, and its line in the history file (a killed run keeps what it did). */
function reportFault(startedAt: Date, seed: number, i: IterationResult): void {
  progress(faultLine(i));
  if (setting("chaosHistory"))
    appendFileSync(setting("chaosHistory"), historyLine({ startedAt: startedAt.toISOString(), seed }, i));
}

/** The run's results in reports/ (JUnit, Prometheus); the history file has each fault already. */
export function writeResults(r: RunResult): void {
  mkdirSync(paths.reportsDir, { recursive: true });
  writeFileSync(join(paths.reportsDir, "chaos-junit.xml"), chaosJUnit(r, runProperties()));
  // whole or not at all: node_exporter's textfile collector may read it at any moment
  const prom = join(paths.reportsDir, "chaos.prom");
  writeFileSync(`${prom}.tmp`, toPrometheus(r));
  renameSync(`${prom}.tmp`, prom);
}
