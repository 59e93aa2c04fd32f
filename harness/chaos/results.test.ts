import { describe, expect, test } from "@jest/globals";
import { formatStats, percentile, toJUnit, toJsonLines, toPrometheus, type RunResult } from "./results.js";

const run: RunResult = {
  seed: 42,
  startedAt: "2026-11-24T10:00:00.000Z",
  acknowledgedWrites: 900,
  lostWrites: 0,
  iterations: [
    { iteration: 1, fault: "pod-delete", target: "web-1", recoveryMs: 4000, budgetMs: 30000, problems: [] },
    { iteration: 2, fault: "pod-delete", target: "web-2", recoveryMs: 6000, budgetMs: 30000, problems: [] },
    {
      iteration: 3,
      fault: "partition",
      target: "w2",
      recoveryMs: 130000,
      budgetMs: 120000,
      problems: ["over budget: 130.0 s > 120.0 s"],
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
  });

  test("JUnit has a case per iteration, the failed one with its reason", () => {
    const x = toJUnit(run);
    expect(x.match(/<testcase /g)).toHaveLength(3);
    expect(x).toContain('failures="1"');
    expect(x).toContain('<failure message="over budget: 130.0 s &gt; 120.0 s">');
  });

  test("JSON lines and Prometheus carry the verdicts and lost writes", () => {
    expect(
      toJsonLines(run)
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).held),
    ).toEqual([true, true, false]);
    expect(toPrometheus(run)).toContain('sts_chaos_recovery_seconds{fault="partition",quantile="max"} 130.0');
    expect(toPrometheus(run)).toContain("sts_chaos_lost_acknowledged_writes 0");
  });
});
