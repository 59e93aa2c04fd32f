// The cluster's CPU per test: the node containers' CPU, sampled over a run, shared among the tests
// running at each moment. Pure, for the benchmark (benchmark.ts) and its unit test.

/** CPU the cluster used between two samples (epoch ms; nanoseconds over every node container). */
export interface CpuInterval {
  from: number;
  to: number;
  cpuNs: number;
}

/** A test as the run's summary gives it: when it ran (epoch ms), and how much of it was waiting for a turn. */
export interface TestSpan {
  name: string;
  start: number;
  end: number;
  waitedMs: number;
}

export interface CpuShares {
  /** Nanoseconds per test. */
  perTest: Map<string, number>;
  /** While no test ran: the run's start and end, the cluster's own upkeep. */
  outsideTests: number;
  total: number;
}

/**
 * Each interval's CPU spread evenly over its time; each moment's share split among the tests running
 * then, each weighted by the part of its time it was not waiting for a turn (a test waiting for the
 * fault node for most of its time asks the cluster for little meanwhile; when it waited is not
 * recorded, only how long, so its weight is the same throughout).
 */
export function attributeCpu(intervals: CpuInterval[], tests: TestSpan[]): CpuShares {
  const perTest = new Map<string, number>(tests.map((t) => [t.name, 0]));
  const weight = (t: TestSpan) => {
    const length = t.end - t.start;
    return length > 0 ? Math.max(0, length - t.waitedMs) / length : 0;
  };
  let outsideTests = 0;
  let total = 0;
  for (const i of intervals) {
    total += i.cpuNs;
    const length = i.to - i.from;
    if (length <= 0) {
      outsideTests += i.cpuNs;
      continue;
    }
    // the interval cut where a test starts or ends: within each piece the same tests run
    const cuts = [
      ...new Set([i.from, i.to, ...tests.flatMap((t) => [t.start, t.end]).filter((c) => c > i.from && c < i.to)]),
    ].sort((a, b) => a - b);
    for (let k = 0; k + 1 < cuts.length; k++) {
      const [a, b] = [cuts[k] ?? 0, cuts[k + 1] ?? 0];
      const piece = (i.cpuNs * (b - a)) / length;
      const running = tests.filter((t) => t.start <= a && t.end >= b && weight(t) > 0);
      const weights = running.reduce((sum, t) => sum + weight(t), 0);
      if (weights === 0) outsideTests += piece;
      for (const t of running) perTest.set(t.name, (perTest.get(t.name) ?? 0) + (piece * weight(t)) / weights);
    }
  }
  return { perTest, outsideTests, total };
}
