import { describe, expect, test } from "@jest/globals";
import type { PodSnapshot, TimelineEntry } from "../timeline/entry.js";
import { checkRecreated } from "./recreation.js";

let seq = 0;
const at = (name: string, uid: string, state: Partial<PodSnapshot> = {}, type: TimelineEntry["type"] = "MODIFIED") =>
  ({
    seq: seq++,
    t: seq,
    kind: "Pod",
    type,
    name,
    resourceVersion: String(seq),
    pod: { name, uid, phase: "Running", ready: true, terminating: false, ...state },
  }) satisfies TimelineEntry;

describe("G17 G22 recreation", () => {
  test("G22: a Failed pod replaced under its own name holds; one left Failed is flagged", () => {
    seq = 0;
    const failed = [at("web-1", "a"), at("web-1", "a", { phase: "Failed", ready: false })];
    const replaced = [
      ...failed,
      at("web-1", "a", {}, "DELETED"),
      at("web-1", "b", { ready: false }, "ADDED"),
      at("web-1", "b"),
    ];
    expect(checkRecreated(replaced, "web-1", 1, "G22", { failedFirst: true })).toEqual({ violations: [], gaps: [] });
    expect(checkRecreated(failed, "web-1", 1, "G22", { failedFirst: true }).violations[0]?.seen).toBe(
      "no new Ready pod of that name",
    );
  });

  test("G17: the predecessor recreated while the next pod is unready holds; only after it is Ready is flagged", () => {
    const start = () => [at("web-0", "a"), at("web-1", "c", { ready: false })];
    seq = 0;
    const noDeadlock = [...start(), at("web-0", "a", {}, "DELETED"), at("web-0", "b", {}, "ADDED")];
    expect(checkRecreated(noDeadlock, "web-0", 2, "G17", { whileNotReady: "web-1" }).violations).toEqual([]);
    seq = 0;
    const waited = [...start(), at("web-0", "a", {}, "DELETED"), at("web-1", "c"), at("web-0", "b", {}, "ADDED")];
    expect(checkRecreated(waited, "web-0", 2, "G17", { whileNotReady: "web-1" }).violations).toHaveLength(1);
  });
});
