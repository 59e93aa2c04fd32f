import { describe, expect, test } from "@jest/globals";
import { ready, timeline } from "../timeline/hand-made.js";
import { checkMaxUnavailable, checkMinReadySeconds, checkRolloutMinReady } from "./availability.js";
import type { PodSnapshot, TimelineEntry } from "../timeline/entry.js";

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

describe("G32 minReadySeconds during a rollout", () => {
  /** web-2 then web-1 replaced; web-1's deletion `gap` entries (100 ms each) after web-2 became Ready. */
  const rollout = (gap: number) => {
    seq = 0;
    const t = [...listed(3)];
    t.push(pod("MODIFIED", "web-2", { terminating: true }), pod("DELETED", "web-2", { terminating: true }));
    t.push(pod("ADDED", "web-2", { ready: false, revision: "v2" }), pod("MODIFIED", "web-2", { revision: "v2" }));
    for (let i = 0; i < gap; i++) t.push(pod("MODIFIED", "web-0"));
    t.push(pod("MODIFIED", "web-1", { terminating: true }));
    return t;
  };

  test("holds when the next old pod goes minReadySeconds after the updated one became Ready", () => {
    expect(checkRolloutMinReady(rollout(60), "web", 3, "v2", 5, 3).violations).toEqual([]);
  });

  test("flags an old pod replaced as soon as the one above was Ready", () => {
    expect(checkRolloutMinReady(rollout(1), "web", 3, "v2", 5, 3).violations[0]?.pod).toBe("web-1");
  });

  /** As the server saw it: web-2 Ready at 10 s, web-1's deletion asked for `after` seconds later. */
  const onServer = (after: number) => {
    const at = (s: number) => new Date(s * 1000).toISOString();
    // on arrival, web-1 went 0.1 s after web-2's Ready transition
    return rollout(1).map((e) =>
      e.pod?.revision === "v2"
        ? { ...e, pod: { ...e.pod, readySince: at(10) } }
        : e.name === "web-1" && e.pod?.terminating
          ? { ...e, pod: { ...e.pod, deletionRequested: at(10 + after) } }
          : e,
    );
  };

  test("judges on the server's clock: a Ready transition that arrived late does not count", () => {
    expect(checkRolloutMinReady(onServer(5), "web", 3, "v2", 5, 3).violations).toEqual([]);
  });

  test("flags a deletion asked for 3 s after the one above became Ready, on the server's clock", () => {
    expect(checkRolloutMinReady(onServer(3), "web", 3, "v2", 5, 3).violations[0]?.seen).toBe("3.0 s after");
  });
});

describe("G32 minReadySeconds", () => {
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
  const make = (gap: number) =>
    timeline([
      ["ADDED", "web-0", { created: at(0) }],
      ["MODIFIED", "web-0", { ...ready, readySince: at(2) }],
      ["ADDED", "web-1", { created: at(2 + gap) }],
    ]);

  test("holds when the next pod came minReadySeconds after its predecessor was Ready", () => {
    expect(checkMinReadySeconds(make(5), "web", 2, 5)).toEqual({ violations: [], gaps: [] });
  });
  test("flags a pod created sooner, and a recording without the pods", () => {
    expect(checkMinReadySeconds(make(1), "web", 2, 5).violations[0]).toMatchObject({ pod: "web-1", seen: "1 s after" });
    expect(checkMinReadySeconds([], "web", 2, 5).violations[0]).toMatchObject({ seen: "not recorded" });
  });
});
