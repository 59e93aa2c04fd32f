import { describe, expect, test } from "@jest/globals";
import { checkMaxUnavailable } from "./availability.js";
import type { PodSnapshot, TimelineEntry } from "./entry.js";

let seq = 0;
const pod = (type: TimelineEntry["type"], name: string, state: Partial<PodSnapshot> = {}): TimelineEntry => ({
  seq: seq++,
  t: seq * 100,
  kind: "Pod",
  type,
  name,
  resourceVersion: String(seq),
  pod: { name, uid: `${name}-${seq}`, phase: "Running", ready: true, terminating: false, ...state },
});
const listed = (n: number) => Array.from({ length: n }, (_, i) => pod("LISTED", `web-${i}`));
/** The controller replacing these pods at once: all terminate, go, come back, become Ready. */
const batch = (...names: string[]) => [
  ...names.map((n) => pod("MODIFIED", n, { terminating: true })),
  ...names.map((n) => pod("DELETED", n, { terminating: true })),
  ...names.map((n) => pod("ADDED", n, { phase: "Pending", ready: false })),
  ...names.map((n) => pod("MODIFIED", n)),
];

describe("G31 maxUnavailable", () => {
  test("holds for batches of 2 under maxUnavailable 2", () => {
    seq = 0;
    const t = [...listed(4), ...batch("web-3", "web-2"), ...batch("web-1", "web-0")];
    expect(checkMaxUnavailable(t, "web", 4, 2, 4)).toEqual({ violations: [], gaps: [], peak: 2 });
  });

  test("flags a batch of 3 under maxUnavailable 2, once", () => {
    seq = 0;
    const t = [...listed(4), ...batch("web-3", "web-2", "web-1"), ...batch("web-0")];
    const r = checkMaxUnavailable(t, "web", 4, 2, 4);
    expect(r.peak).toBe(3);
    expect(r.violations.map((v) => v.seen)).toEqual(["3 unavailable: web-1, web-2, web-3"]);
  });

  test("flags an allowance never used: one pod at a time under maxUnavailable 2", () => {
    seq = 0;
    const t = [...listed(3), ...batch("web-2"), ...batch("web-1"), ...batch("web-0")];
    expect(checkMaxUnavailable(t, "web", 3, 2, 3).violations[0]?.seen).toBe("at most 1 at once");
  });
});
