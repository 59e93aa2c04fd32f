import { describe, expect, it } from "@jest/globals";
import { attributeCpu } from "./cpu-attribution.js";

const s = 1e9; // a CPU second in nanoseconds
const shares = (r: ReturnType<typeof attributeCpu>) =>
  Object.fromEntries([...r.perTest].map(([name, ns]) => [name, Math.round((ns / s) * 100) / 100]));

describe("the cluster's CPU per test", () => {
  it("goes to the one test running, and to no test before and after it", () => {
    const r = attributeCpu(
      [
        { from: 0, to: 1000, cpuNs: 1 * s },
        { from: 1000, to: 3000, cpuNs: 4 * s },
      ],
      [{ name: "a", start: 500, end: 2000, waitedMs: 0 }],
    );
    // 0.5 s of the first interval and 1 s of the second
    expect(shares(r)).toEqual({ a: 2.5 });
    expect(r.outsideTests / s).toBeCloseTo(2.5);
    expect(r.total).toBe(5 * s);
  });

  it("is split among tests running together, less to one that mostly waited for its turn", () => {
    const r = attributeCpu(
      [{ from: 0, to: 1000, cpuNs: 3 * s }],
      [
        { name: "busy", start: 0, end: 1000, waitedMs: 0 },
        { name: "waiting", start: 0, end: 1000, waitedMs: 500 },
      ],
    );
    expect(shares(r)).toEqual({ busy: 2, waiting: 1 });
    expect(r.outsideTests).toBe(0);
  });

  it("gives nothing to a test that only waited, and counts the moment as no test's", () => {
    const r = attributeCpu(
      [{ from: 0, to: 1000, cpuNs: 1 * s }],
      [{ name: "waited", start: 0, end: 1000, waitedMs: 1000 }],
    );
    expect(shares(r)).toEqual({ waited: 0 });
    expect(r.outsideTests).toBe(1 * s);
  });
});
