import type * as k8s from "@kubernetes/client-node";
import { describe, expect, test } from "@jest/globals";
import { Labels } from "../kube/labels.js";
import { leftovers } from "./cleanup.js";
import { blocking, type Activity } from "./gate.js";
import { freshRuns, heartbeatOf, staleAfterMs } from "./heartbeat.js";

const now = Date.parse("2026-12-07T06:00:00Z");
const ago = (ms: number) => new Date(now - ms);

describe("a run's heartbeat", () => {
  test("fresh until it is stale; a missing or unreadable one is not fresh", () => {
    const runs = [
      heartbeatOf("alive", ago(10_000)),
      heartbeatOf("just-alive", ago(staleAfterMs - 1)),
      heartbeatOf("stale", ago(staleAfterMs)),
      { metadata: { name: "sts-run-silent", labels: { [Labels.run]: "silent" } } },
    ];
    expect([...freshRuns(runs, now)]).toEqual(["alive", "just-alive"]);
  });
});

describe("sweeping a crashed run's leftovers", () => {
  const ns = (name: string, run: string, created: Date): k8s.V1Namespace => ({
    metadata: { name, labels: { [Labels.run]: run }, creationTimestamp: created },
  });

  test("a namespace of a run without a fresh heartbeat goes; a live run's, or one too young to tell, stays", () => {
    const live = freshRuns([heartbeatOf("ci", ago(5_000)), heartbeatOf("crashed", ago(staleAfterMs * 2))], now);
    const namespaces = [
      ns("ci-g13", "ci", ago(staleAfterMs * 3)),
      ns("crashed-g26", "crashed", ago(staleAfterMs * 3)),
      ns("unknown-g1", "unknown", ago(staleAfterMs + 1)),
      ns("starting-g4", "starting", ago(1_000)), // its run may not have made its heartbeat yet
    ];
    expect(leftovers(namespaces, live, now)).toEqual(["crashed-g26", "unknown-g1"]);
  });
});

describe("the run's gate", () => {
  const test_ = (name: string, activity?: Activity): k8s.V1Namespace => ({
    metadata: { name, labels: activity ? { [Labels.activity]: activity } : {} },
  });
  const names = (ns: k8s.V1Namespace[]) => ns.map((n) => n.metadata?.name);

  test("a shared test waits for an exclusive one; an exclusive one for the running ones, never for itself", () => {
    const run = [test_("a", "running"), test_("b", "exclusive"), test_("c", "waiting"), test_("d", "done"), test_("e")];
    expect(names(blocking(run, "a", ["exclusive"]))).toEqual(["b"]);
    expect(names(blocking(run, "b", ["running"]))).toEqual(["a"]);
    // waiting, done and unmarked namespaces hold no one up
    expect(names(blocking(run, "b", ["exclusive"]))).toEqual([]);
    expect(names(blocking(run, undefined, ["exclusive"]))).toEqual(["b"]);
  });

  test("each side sees the other's mark, whichever marked first: they never both pass", () => {
    // a shared test marked running, then an exclusive one marked: the exclusive waits for it
    const both = [test_("shared", "running"), test_("alone", "exclusive")];
    expect(blocking(both, "alone", ["running"]).length).toBeGreaterThan(0);
    // and the shared one, looking after its mark, sees the exclusive and steps back to waiting
    expect(blocking(both, "shared", ["exclusive"]).length).toBeGreaterThan(0);
  });
});
