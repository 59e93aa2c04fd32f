import { describe, expect, test } from "@jest/globals";
import { latencyByPhase, latencyOverBudget, latencyTable, writeLatencies } from "./latency.js";

const at = (ms: number) => new Date(Date.UTC(2026, 11, 7, 10, 0, 0) + ms).toISOString();
const line = (ms: number, what: string, member: string, seq: number) => `${at(ms)} ${what} ${member} ${seq}`;
const t0 = Date.UTC(2026, 11, 7, 10, 0, 0);

describe("the writer's acknowledged-write latency", () => {
  test("each acknowledgement's time since its member's previous line, less the pause; a failure is no sample", () => {
    const lines = [
      line(0, "ack", "web-0", 1),
      line(50, "ack", "web-1", 1), // another member: its own previous line
      line(130, "ack", "web-0", 2), // 130 - 0 - 100
      line(2300, "fail", "web-0", 3), // no sample, but the next is timed from it
      line(2450, "ack", "web-0", 4), // 2450 - 2300 - 100
      "a line of something else",
    ];
    expect(writeLatencies(lines, 100)).toEqual([
      { t: t0 + 130, ms: 30 },
      { t: t0 + 2450, ms: 50 },
    ]);
  });

  test("split before, during and after the upgrade's window; judged against a budget phase by phase", () => {
    const samples = [
      ...Array.from({ length: 20 }, (_, i) => ({ t: t0 + i, ms: 10 })),
      ...Array.from({ length: 20 }, (_, i) => ({ t: t0 + 1000 + i, ms: i < 18 ? 40 : 900 })),
      { t: t0 + 5000, ms: 12 },
    ];
    const byPhase = latencyByPhase(samples, { fromMs: t0 + 1000, toMs: t0 + 2000 });
    expect(byPhase).toEqual({
      before: { count: 20, p50Ms: 10, p95Ms: 10, maxMs: 10 },
      during: { count: 20, p50Ms: 40, p95Ms: 900, maxMs: 900 },
      after: { count: 1, p50Ms: 12, p95Ms: 12, maxMs: 12 },
    });
    expect(latencyOverBudget(byPhase, 500)).toEqual([
      {
        guarantee: "latency",
        pod: "writer",
        expected: "acknowledged writes during the upgrade at p95 500 ms or less (STS_UPGRADE_LATENCY_P95_MS)",
        seen: "p95 900 ms over 20 writes (p50 40 ms, max 900 ms)",
      },
    ]);
    expect(latencyOverBudget(byPhase, 900)).toEqual([]);
    expect(latencyTable({ during: byPhase.during })).toContain("before  no acknowledged write");
  });
});
