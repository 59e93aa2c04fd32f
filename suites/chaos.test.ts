// Chaos: a seeded schedule of faults, one at a time, while a writer appends to every member. Each
// fault is followed by recovery (every member Ready and acknowledging writes again), timed against
// its budget. Over the whole run: no acknowledged write lost (G9), and no member replaced while
// its node was cut off (G23). Short under npm test (STS_CHAOS_DURATION, seed 42); the nightly job
// sets a long duration. Results: a table per fault kind, JUnit per iteration, JSON lines appended
// to STS_CHAOS_HISTORY, a Prometheus textfile.
import { describe } from "@jest/globals";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadBudgets, type Budgets } from "../harness/chaos/budgets.js";
import { faultKinds, scopeOf, type FaultKind } from "../harness/chaos/faults.js";
import { parseDuration, parseFaults, parseSeed } from "../harness/chaos/options.js";
import { formatStats, toJUnit, toJsonLines, toPrometheus, type IterationResult } from "../harness/chaos/results.js";
import { makeSchedule, type ScheduledFault } from "../harness/chaos/schedule.js";
import { paths } from "../harness/config/paths.js";
import { setting } from "../harness/config/settings.js";
import { Timeouts } from "../harness/config/timeouts.js";
import { apiServerRestarted } from "../harness/faults/api-server-restart.js";
import { nodeFault } from "../harness/faults/node-faults.js";
import type { Fault } from "../harness/faults/undo.js";
import { attach, step } from "../harness/report/step.js";
import { podName } from "../harness/statefulset/naming.js";
import { checkNotReplacedWhileUnreachable } from "../harness/timeline/node-loss.js";
import { quietWindow } from "../harness/timeline/quiet-window.js";
import type { CheckResult } from "../harness/timeline/invariants.js";
import { checkNothingLost, describeLedger, lostCount } from "../harness/workload/ledger.js";
import type { Scenario } from "./support/scenario.js";
import { scenarioTest } from "./support/scenario-test.js";
import { kindClusterName } from "./support/target.js";
import type { Writer } from "./support/writer.js";

const replicas = 3;
/** Not built yet: a stopped node container does not always come back with its address on kind. */
const notBuilt: FaultKind[] = ["node-stop"];
const cluster = kindClusterName();
const durationMs = parseDuration(setting("chaosDuration"));
const holdMs = setting("chaosHoldS") * 1000;

/** The kinds this run injects: the setting's, or every kind built; node and control-plane ones only on kind. */
function kindsToRun(): FaultKind[] {
  const asked = setting("chaosFaults")
    ? parseFaults(setting("chaosFaults"))
    : faultKinds.filter((k) => !notBuilt.includes(k));
  return asked.filter((k) => !notBuilt.includes(k) && (cluster !== undefined || scopeOf[k] === "member"));
}

/** Node faults act on kind nodes' containers; the API server restart on kind's control plane. */
function faultFor(s: Scenario, f: ScheduledFault): Fault | undefined {
  if (f.fault === "node-pause" || f.fault === "kubelet-stop" || f.fault === "partition")
    return nodeFault(s.kube, f.target, f.fault);
  if (f.fault === "api-restart" && cluster !== undefined) return apiServerRestarted(s.kube, cluster);
  return undefined;
}

/** Injects one fault, holds it (node and control-plane faults), undoes it; returns when recovery is timed from. */
async function inject(s: Scenario, f: ScheduledFault): Promise<{ from: number; until: number; recoverFromMs: number }> {
  const from = s.recorder.mark(`chaos #${f.iteration}: ${f.fault} ${f.target}`);
  if (f.fault === "pod-delete" || f.fault === "pod-force-delete") {
    await s.act.deletePod(f.target, { force: f.fault === "pod-force-delete" });
    return { from, until: from, recoverFromMs: Date.now() };
  }
  if (f.fault === "container-kill") {
    await s.act.killContainer(f.target);
    return { from, until: from, recoverFromMs: Date.now() };
  }
  const fault = faultFor(s, f);
  if (!fault) throw new Error(`no fault to make for ${f.fault}`);
  const applied = await s.act.apply(fault);
  await quietWindow(s.recorder, from, holdMs, () => false); // the fault held: the configured window
  const until = await s.act.undo(applied);
  return { from, until, recoverFromMs: Date.now() };
}

/** The members that were on `node` when the fault began. */
async function membersOn(s: Scenario, node: string): Promise<string[]> {
  const pods = await s.observe.readyPods(replicas);
  return [...pods.values()].filter((p) => p.spec?.nodeName === node).map((p) => p.metadata?.name ?? "");
}

async function runSchedule(
  s: Scenario,
  writer: Writer,
  schedule: ScheduledFault[],
  budgets: Budgets,
): Promise<IterationResult[]> {
  const members = Array.from({ length: replicas }, (_, i) => podName(s.set, i));
  const results: IterationResult[] = [];
  for (const f of schedule) {
    await step(`#${f.iteration} steady: every member Ready and writing`, async () => {
      await s.observe.readyPods(replicas);
      await writer.acknowledgedMore(members, 3);
    });
    const onNode = scopeOf[f.fault] === "node" ? await membersOn(s, f.target) : [];
    const window = await step(`#${f.iteration} act: ${f.fault} ${f.target}`, () => inject(s, f));
    await step(`#${f.iteration} observe: recovered (every member Ready and acknowledging writes)`, async () => {
      await s.observe.readyPods(replicas);
      await writer.acknowledgedMore(members, 1);
    });
    const recoveryMs = Date.now() - window.recoverFromMs;
    const budgetMs = budgets[f.fault] * 1000;
    const held: CheckResult[] = onNode.map((pod) =>
      checkNotReplacedWhileUnreachable(s.recorder.entries, pod, window.from, window.until),
    );
    const problems = [
      ...(recoveryMs > budgetMs ? [`over budget: ${(recoveryMs / 1000).toFixed(1)} s > ${budgets[f.fault]} s`] : []),
      ...held.flatMap((r) =>
        r.violations.map((v) => `${v.guarantee} ${v.pod}: expected ${v.expected}; seen ${v.seen}`),
      ),
    ];
    results.push({ iteration: f.iteration, fault: f.fault, target: f.target, recoveryMs, budgetMs, problems });
  }
  return results;
}

describe("Chaos: seeded faults while a workload writes", () => {
  scenarioTest(
    "Chaos G9 G23: seeded faults one at a time; nothing acknowledged lost, no member replaced while cut off, each recovered within budget",
    {
      runIf: { holds: setting("chaos"), reason: "chaos runs on request: sts-conformance chaos, or STS_CHAOS=1" },
      timeoutMs: durationMs * 1.5 + Timeouts.clusterTestMs,
    },
    async (s) => {
      const seed = parseSeed(setting("chaosSeed"));
      const kinds = kindsToRun();
      const budgets = loadBudgets(setting("chaosBudget") || undefined);
      await step(`arrange: a set of ${replicas}, Ready`, () => s.readySet({ replicas }));
      const nodes = (await s.kube.core.listNode()).items
        .filter((n) => n.metadata?.labels?.["node-role.kubernetes.io/control-plane"] === undefined)
        .map((n) => n.metadata?.name ?? "");
      const schedule = makeSchedule(seed, durationMs, kinds, budgets, { members: [0, 1, 2], nodes }, s.set);
      await attach("schedule", schedule.map((f) => `#${f.iteration} ${f.fault} ${f.target}`).join("\n"));
      const writer = await step("arrange: the writer, appending to every member", () =>
        s.act.startWriter(replicas, { onControlPlane: cluster !== undefined }),
      );
      const startedAt = new Date().toISOString();
      try {
        const iterations = await s.alone(() => runSchedule(s, writer, schedule, budgets));
        const ledger = writer.stop();
        const journals = await s.probe.journals(replicas); // after the ledger froze: it holds nothing newer
        const lost = checkNothingLost(ledger, journals);
        const acknowledged = [...ledger.values()].reduce((n, l) => n + l.ackCount, 0);
        const lostWrites = lostCount(ledger, journals);
        const result = { seed, startedAt, iterations, lostWrites, acknowledgedWrites: acknowledged };
        mkdirSync(paths.reportsDir, { recursive: true });
        writeFileSync(join(paths.reportsDir, "chaos-junit.xml"), toJUnit(result));
        writeFileSync(join(paths.reportsDir, "chaos.prom"), toPrometheus(result));
        if (setting("chaosHistory")) appendFileSync(setting("chaosHistory"), toJsonLines(result));
        await attach("chaos results", `${formatStats(result)}\n\n${describeLedger(ledger)}`);
        await step("assert: every acknowledged write on its member's volume, once, in order", () =>
          s.check.held(() => lost),
        );
        await step("assert: every fault recovered within budget, no member replaced while cut off", () =>
          s.check.held(() => ({
            violations: iterations.flatMap((i) =>
              i.problems.map((p) => ({
                guarantee: p.startsWith("G23") ? "G23" : "recovery budget",
                pod: i.target,
                expected: `recovery within ${i.budgetMs / 1000} s, and at most one pod per identity`,
                seen: `#${i.iteration} ${i.fault}: ${p}`,
              })),
            ),
            gaps: [],
          })),
        );
      } finally {
        writer.stop();
      }
    },
  );
});
