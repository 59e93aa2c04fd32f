// The chaos engine: a seeded sequence of faults, one at a time, on a Ready set while a writer
// appends to every member; each fault followed by recovery (every member Ready and acknowledging
// writes again, and still so over a settle window), timed against its budget. suites/chaos.test.ts
// tells the story; this holds the mechanics.
import { appendFileSync } from "node:fs";
import type { DataVolume } from "../../fixtures/web-pod.js";
import type { Budgets } from "../../harness/chaos/budgets.js";
import { scopeOf, type FaultKind } from "../../harness/chaos/catalogue.js";
import type { ChaosPlan } from "../../harness/chaos/options.js";
import {
  faultLine,
  historyLine,
  formatStats,
  type IterationProblem,
  type IterationResult,
  type RunResult,
} from "../../harness/chaos/results.js";
import { chaosSet, chaosTargets, faultSequence, runIsOver, type ScheduledFault } from "../../harness/chaos/schedule.js";
import { checkNotReplacedWhileUnreachable } from "../../harness/checks/node-loss.js";
import { faultNodeKey } from "../../harness/config/fault-node-key.js";
import { setting } from "../../harness/config/settings.js";
import { isNodeFaultKind, nodeFaultPath } from "../../harness/faults/node-faults.js";
import { controllersLeading } from "../../harness/kube/leaders.js";
import { progress } from "../../harness/report/progress.js";
import { recoveryPicture } from "../../harness/report/recovery-picture.js";
import { attach, step } from "../../harness/report/step.js";
import { kindClusterName, podFaults, type RunCondition } from "../../harness/run/conditions.js";
import { formatGap, type CheckResult } from "../../harness/timeline/replay.js";
import { checkNothingLost, describeLedger, lostCount, unseenCount } from "../../harness/workload/ledger.js";
import { holdMs, inject, membersOf, membersOn, recovered, settleMs } from "./chaos-fault.js";
import type { Scenario } from "./scenario.js";
import type { Writer } from "../../harness/workload/writer.js";

const replicas = chaosSet.replicas;
/** The set's PodDisruptionBudget: a fault that would take more members at once is skipped, not made. */
const budgetOfDisruptions = 1;
const cluster = kindClusterName();
/** On kind (a control plane and two workers, the suite's own) one member per node, so a node fault takes one. */
const spread = cluster !== undefined;
/**
 * The members' unreachable and not-ready toleration: short, so a held node fault evicts the member
 * on the node (Terminating while its kubelet cannot confirm) and G23 has something to hold; with
 * the API's 300 s no eviction happens within a fault, and G23 could not fail.
 */
const unreachableTolerationS = 5;

/**
 * The kinds a run can inject here of those asked: off kind, the member faults, and kubelet-stop
 * and partition by a privileged pod (the CLI asked for the opt-in); the others need kind's node
 * containers and control plane.
 */
export { holdMs };

export const kindsToRun = (asked: FaultKind[]): FaultKind[] =>
  asked.filter((k) => {
    if (scopeOf[k] === "member") return true;
    if (!isNodeFaultKind(k)) return cluster !== undefined;
    const path = nodeFaultPath(k);
    return path === "docker" || (path === "pod" && podFaults().holds);
  });

/**
 * The chaos check runs only when every kind asked can be made here: a run that silently drops the
 * node and control-plane faults would report G23 and "writes survive node faults" held on pod
 * faults alone. Ask for pod faults only (--faults) to run those off kind.
 */
export const everyKindRuns = (asked: FaultKind[]): RunCondition => {
  const runnable = kindsToRun(asked);
  const dropped = asked.filter((k) => !runnable.includes(k));
  const refused = podFaults();
  return {
    holds: dropped.length === 0,
    reason: dropped.every((k) => isNodeFaultKind(k) && nodeFaultPath(k) === "pod")
      ? `${dropped.join(", ")}: ${refused.reason}`
      : `${dropped.join(", ")} act on kind's node containers or control plane: not run off the suite's kind cluster`,
  };
};

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
 * acknowledged writes lost are BROKEN however the run ended.
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
      `${spread ? ", one member per node" : ", spread over the workers"}; a budget of ${budgetOfDisruptions} disruption`,
    async () => {
      // slow starts overlap when the pods start together
      const podManagementPolicy = readyAfterS ? "Parallel" : "OrderedReady";
      await s.readySet({
        replicas,
        dataVolume,
        readyAfterS,
        podManagementPolicy,
        onEveryNode: spread,
        onWorkers: !spread,
        unreachableTolerationS,
      });
      await s.act.createBudget(budgetOfDisruptions);
    },
  );
  const nodes = (await s.kube.core.listNode()).items
    // the workers its members are on: not the control plane, nor the nodes kept for node-loss tests
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

/** A fault as it completes: its progress line, and its line in the history file (a killed run keeps what it did). */
function reportFault(startedAt: Date, seed: number, i: IterationResult): void {
  progress(faultLine(i));
  if (setting("chaosHistory"))
    appendFileSync(setting("chaosHistory"), historyLine({ startedAt: startedAt.toISOString(), seed }, i));
}
