import { describe, expect, test } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../config/paths.js";
import { chaosJUnit } from "../report/chaos-junit.js";
import {
  formatStats,
  g23Windows,
  percentile,
  faultLine,
  historyLine,
  toPrometheus,
  verdictOf,
  type IterationResult,
  type RunResult,
} from "./results.js";

const run: RunResult = {
  seed: 42,
  startedAt: "2026-11-24T10:00:00.000Z",
  acknowledgedWrites: 900,
  lostWrites: 0,
  unseenWrites: 0,
  rssStartBytes: 180 * 2 ** 20,
  rssEndBytes: 184 * 2 ** 20,
  iterations: [
    {
      iteration: 1,
      fault: "pod-delete",
      target: "web-1",
      recoveryMs: 4000,
      budgetMs: 30000,
      problems: [],
      rssBytes: 1,
    },
    {
      iteration: 2,
      fault: "pod-delete",
      target: "web-2",
      recoveryMs: 6000,
      budgetMs: 30000,
      problems: [],
      rssBytes: 1,
    },
    {
      iteration: 3,
      fault: "partition",
      target: "w2",
      recoveryMs: 130000,
      budgetMs: 120000,
      problems: [{ guarantee: "recovery budget", text: "over budget: 130.0 s > 120.0 s" }],
      rssBytes: 1,
    },
    {
      iteration: 4,
      fault: "node-stop",
      target: "w1",
      recoveryMs: 0,
      budgetMs: 180000,
      problems: [],
      skipped: "node w1 holds web-0, web-2; the budget allows 1",
      rssBytes: 1,
    },
  ],
};

describe("chaos results", () => {
  test("percentiles by nearest rank", () => {
    expect([0.5, 0.95, 1].map((p) => percentile([1, 2, 3, 4], p))).toEqual([2, 4, 4]);
  });

  test("per kind: runs, failures, p50/p95/max", () => {
    expect(formatStats(run)).toContain("pod-delete          2      0     4.0    6.0    6.0");
    expect(formatStats(run)).toContain("partition           1      1   130.0  130.0  130.0");
    expect(formatStats(run)).toContain("harness memory (RSS): 180 MiB at the start, 184 MiB at the end");
    expect(formatStats(run)).toMatch(/node-stop +0 +0 +- +- +- {2}\(1 skipped: over the budget of disruptions\)/);
  });

  test("JUnit has a case per iteration, the failed one with its reason, the skipped one with why", () => {
    const x = chaosJUnit(run);
    expect(x.match(/<testcase /g)).toHaveLength(4);
    expect(x).toContain('failures="1" errors="0" skipped="1"');
    expect(x).toContain('<property name="seed" value="42"/>');
    expect(x).toContain('<skipped message="node w1 holds web-0, web-2; the budget allows 1"/>');
    expect(x).toContain('<failure message="over budget: 130.0 s &gt; 120.0 s">');
  });

  test("a progress line per fault: applied and recovered against its budget, failed with why, skipped with why", () => {
    expect(run.iterations.map(faultLine)).toEqual([
      "chaos #1 pod-delete web-1: applied, recovered in 4.0 s (budget 30.0 s)",
      "chaos #2 pod-delete web-2: applied, recovered in 6.0 s (budget 30.0 s)",
      "chaos #3 partition w2: applied, FAILED: recovery budget: over budget: 130.0 s > 120.0 s",
      "chaos #4 node-stop w1: skipped (node w1 holds web-0, web-2; the budget allows 1)",
    ]);
  });

  test("JSON lines and Prometheus carry the verdicts and lost writes", () => {
    expect(run.iterations.map((i) => JSON.parse(historyLine(run, i)).verdict)).toEqual([
      "held",
      "held",
      "failed",
      "skipped",
    ]);
    expect(toPrometheus(run)).toContain('sts_chaos_recovery_max_seconds{fault="partition"} 130.0');
    expect(toPrometheus(run)).toContain('sts_chaos_recovery_seconds{fault="pod-delete",quantile="0.5"} 4.0');
    expect(toPrometheus(run)).toContain('sts_chaos_recovery_seconds_sum{fault="pod-delete"} 10.0');
    expect(toPrometheus(run)).toContain("sts_chaos_lost_acknowledged_writes 0");
    expect(toPrometheus(run)).toContain(`sts_chaos_harness_rss_bytes{at="end"} ${184 * 2 ** 20}`);
  });

  test("a run cut short: the unfinished iteration is inconclusive (a JUnit error), not a failure; lost writes unknown", () => {
    const cut: RunResult = {
      ...run,
      lostWrites: undefined,
      iterations: [
        ...run.iterations,
        {
          iteration: 5,
          fault: "api-restart",
          target: "control-plane",
          recoveryMs: NaN,
          budgetMs: 90000,
          problems: [],
          error: "the API server is not ready",
          rssBytes: 1,
        },
      ],
    };
    expect(chaosJUnit(cut)).toContain('failures="1" errors="1" skipped="1"');
    expect(chaosJUnit(cut)).toMatch(
      /time="0.000">\s*<error type="inconclusive" message="inconclusive: the API server is not ready"><\/error>/,
    );
    expect(formatStats(cut)).toContain("lost ones not known (the journals could not be read)");
    expect(formatStats(cut)).toContain("cut short at #5 api-restart control-plane: the API server is not ready");
    expect(formatStats(cut)).toMatch(/api-restart +0 +0 +- +- +- {2}\(1 inconclusive\)/);
    expect(toPrometheus(cut)).toContain('sts_chaos_faults_total{fault="api-restart",verdict="inconclusive"} 1');
    expect(toPrometheus(cut)).toContain("sts_chaos_lost_acknowledged_writes NaN");
  });

  test("G23 per node-fault window: evictions counted, a window with a watch gap inconclusive", () => {
    const nodeFault = (iteration: number, evicted: string[], undecided?: string): IterationResult => ({
      iteration,
      fault: "node-pause",
      target: "w1",
      recoveryMs: 30000,
      budgetMs: 120000,
      problems: [],
      rssBytes: 1,
      g23: { members: ["web-1"], evicted },
      ...(undecided ? { undecided } : {}),
    });
    const g23: RunResult = {
      ...run,
      iterations: [nodeFault(1, ["web-1"]), nodeFault(2, [], "G23 in its window: gap")],
    };
    expect(g23Windows(g23.iterations)).toEqual({ windows: 2, exercised: 1, evictions: 1 });
    expect(g23Windows(run.iterations)).toEqual({ windows: 0, exercised: 0, evictions: 0 });
    expect(g23.iterations.map(verdictOf)).toEqual(["held", "inconclusive"]);
    expect(formatStats(g23)).toContain("G23: 2 node-fault window(s), 1 with a member evicted in it (1 eviction(s))");
    expect(chaosJUnit(g23)).toContain('<error type="inconclusive" message="inconclusive: G23 in its window: gap">');
    expect(toPrometheus(g23)).toContain("sts_chaos_g23_evictions 1");
  });
});

const dir = mkdtempSync(join(tmpdir(), "promlint-"));
const lint = join(dir, "promlint");
/** Prometheus's verdict on a textfile: "" when clean, else its problems. */
function promlint(text: string): string {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.prom`);
  writeFileSync(file, text);
  try {
    execFileSync(lint, [file], { stdio: "pipe" });
    return "";
  } catch (e) {
    return String((e as { stdout?: Buffer }).stdout ?? e);
  }
}

describe("the chaos run's Prometheus textfile, read by Prometheus's own parser and linter (client_golang's promlint)", () => {
  test("passes Prometheus's parser and linter; a quantile label on a gauge (the old file) does not", () => {
    // compiled once per machine (Go's build cache): about 25 s cold, a second warm
    execFileSync("go", ["build", "-o", lint, "."], {
      cwd: join(repoRoot, "harness", "tools", "promlint"),
      stdio: "pipe",
    });
    expect(promlint(toPrometheus(run))).toBe("");
    expect(promlint('# HELP x y\n# TYPE x gauge\nx{fault="a",quantile="p50"} 1\n')).toContain(
      'non-summary metrics should not have "quantile" label',
    );
  }, 300_000);
});
