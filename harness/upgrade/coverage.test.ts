import { describe, expect, test } from "@jest/globals";
import type { TimelineEntry } from "../timeline/entry.js";
import type { Baseline } from "./baseline.js";
import { endedByCheck, nodeChanges, uncovered } from "./coverage.js";
import type { Recording } from "./recording.js";

const old = "v1.36.3";
const neu = "v1.37.2";
const baseline = { serverVersion: old, nodes: { cp: old, w1: old } } as unknown as Baseline;

let seq = 0;
const node = (name: string, version: string, type: TimelineEntry["type"] = "MODIFIED"): TimelineEntry => ({
  seq: seq++,
  t: seq * 1000,
  kind: "Node",
  type,
  name,
  node: { ready: true, unschedulable: false, kubeletVersion: version },
});
const trouble = (kind: TimelineEntry["kind"], type: TimelineEntry["type"]): TimelineEntry => ({
  seq: seq++,
  t: seq * 1000,
  kind,
  type,
  name: "",
});
/** The recording of a whole upgrade: both nodes listed at the old version, both upgraded, ended by the check. */
const whole = (): TimelineEntry[] => [
  node("cp", old, "LISTED"),
  node("w1", old, "LISTED"),
  trouble("Pod", "RESUME_FAILED"),
  trouble("Pod", "RESUMED"),
  node("cp", neu),
  node("w1", neu),
];
const recording = (entries: TimelineEntry[], more: Partial<Recording> = {}): Recording => ({
  schema: 1,
  namespace: "sts-upgrade",
  preparedAt: "p",
  startedAt: "2026-12-07T10:40:00.000Z",
  serverVersion: old,
  writtenAt: "2026-12-07T10:50:00.000Z",
  stoppedAt: "2026-12-07T10:50:00.000Z",
  endedBy: endedByCheck,
  caughtUp: true,
  timelines: { ordered: entries, parallel: entries },
  ledger: [],
  ...more,
});
const now = { cp: neu, w1: neu };

describe("a recording that must cover the upgrade", () => {
  test("from the baseline's nodes to the cluster's now, ended by the check, every stream alive: covered", () => {
    expect(uncovered(baseline, recording(whole()), now)).toEqual([]);
  });

  test("no recording at all", () => {
    expect(uncovered(baseline, undefined, now)).toEqual(["no 'upgrade watch' recorded the upgrade"]);
  });

  test("a watch started after the control plane was upgraded: names the node that changed before it", () => {
    const late = [node("cp", neu, "LISTED"), node("w1", old, "LISTED"), node("w1", neu)];
    expect(uncovered(baseline, recording(late), now)).toEqual([
      `the watch started at 10:40:00, after nodes changed since the baseline: cp ${old} → ${neu}`,
    ]);
  });

  test("a watch started after the API server was upgraded, before any kubelet", () => {
    expect(uncovered(baseline, recording(whole(), { serverVersion: neu }), now)).toEqual([
      `the watch started at 10:40:00, after the API server was upgraded (${old} at the baseline, ${neu} then)`,
    ]);
  });

  test("a watch killed mid-upgrade: when it stopped, and the nodes that changed after", () => {
    const killed = whole().slice(0, 5); // w1 not yet upgraded
    const r = recording(killed, { writtenAt: "2026-12-07T10:42:05.000Z" });
    delete r.stoppedAt;
    delete r.endedBy;
    delete r.caughtUp;
    expect(uncovered(baseline, r, now)).toEqual([
      "the watch stopped at 10:42:05 without finishing its recording (killed, or its process ended)",
      `nodes changed after the watch's last sight of them: w1 ${old} → ${neu}`,
    ]);
  });

  test("a watch ended by Ctrl-C before the check, or whose last catch-up failed", () => {
    expect(uncovered(baseline, recording(whole(), { endedBy: "SIGINT" }), now)).toEqual([
      "the watch was ended at 10:50:00 by SIGINT, before 'upgrade check' started",
    ]);
    expect(uncovered(baseline, recording(whole(), { caughtUp: false }), now)).toEqual([
      "the watch could not confirm its last moments against the cluster (its final catch-up failed)",
    ]);
  });

  test("a stream whose last word is a failure, not settled by a final catch-up: a gap to the end", () => {
    const lost = [...whole(), trouble("Pod", "RELIST_FAILED")];
    const found = uncovered(baseline, recording(lost, { caughtUp: false }), now);
    expect(found).toHaveLength(3); // the catch-up, then one per set's timeline
    expect(found[1]).toMatch(/^ordered's Pod watch failed at 10:40:\d\d \(RELIST_FAILED\) and did not resume$/);
    // a quiet stream that resumed shows no entry after its failure: the final catch-up settles it
    expect(uncovered(baseline, recording(lost), now)).toEqual([]);
  });

  test("a node that joined or left (a managed pool's surge) is a change too", () => {
    expect(nodeChanges({ a: old }, { a: old, b: neu })).toEqual([`b joined (${neu})`]);
    expect(nodeChanges({ a: old, b: old }, { a: neu })).toEqual([`a ${old} → ${neu}`, `b gone (was ${old})`]);
    const relisted: TimelineEntry = { ...trouble("Node", "RELIST"), listed: ["cp"] };
    expect(uncovered(baseline, recording([...whole(), relisted]), now)).toEqual([
      `nodes changed after the watch's last sight of them: w1 joined (${neu})`,
    ]);
  });
});
