import { describe, expect, test } from "@jest/globals";
import type { TimelineEntry } from "../timeline/entry.js";
import { ready, terminating, timeline } from "../timeline/hand-made.js";
import { barsOf, gapsOf, timelinePicture } from "./timeline-picture.js";

const mark = (seq: number, detail: string): TimelineEntry => ({
  seq,
  t: seq * 100,
  kind: "Action",
  type: "MARK",
  name: ">>>",
  detail,
});

/** web-0 Ready throughout; web-1 deleted by the suite and replaced (a new uid, a new revision); a stranger's pod ignored. */
const entries: TimelineEntry[] = [
  ...timeline([
    ["LISTED", "web-0", { ...ready, revision: "web-aaa" }],
    ["LISTED", "web-1", { ...ready, revision: "web-aaa" }],
    ["LISTED", "other-0", ready],
  ]),
  mark(3, "delete pod web-1"),
  ...timeline([
    ["MODIFIED", "web-1", { ...terminating, revision: "web-aaa" }],
    ["DELETED", "web-1", { ...terminating, revision: "web-aaa" }],
    ["ADDED", "web-1", { uid: "new", revision: "web-bbb" }],
    ["MODIFIED", "web-1", { uid: "new", phase: "Running", revision: "web-bbb" }],
    ["MODIFIED", "web-1", { uid: "new", ...ready, revision: "web-bbb" }],
  ]).map((e, i) => ({ ...e, seq: 4 + i, t: (4 + i) * 100 })),
];

describe("the timeline picture", () => {
  test("a pod's bars follow its states until its deletion; its replacement is a pod of its own in the same lane", () => {
    const bars = barsOf(entries, "web");
    const lane1 = bars.filter((b) => b.lane === 1).map((b) => [b.uid, b.state, b.revision, b.fromMs, b.toMs]);
    expect(lane1).toEqual([
      ["web-1-uid", "ready", "web-aaa", 100, 400],
      ["web-1-uid", "terminating", "web-aaa", 400, 500],
      ["new", "pending", "web-bbb", 600, 700],
      ["new", "running", "web-bbb", 700, 800],
      ["new", "ready", "web-bbb", 800, 800],
    ]);
    // web-0: one bar over the whole recording; other-0 has no lane
    expect(bars.filter((b) => b.lane === 0).map((b) => [b.state, b.fromMs, b.toMs])).toEqual([["ready", 0, 800]]);
    expect(bars.some((b) => b.pod === "other-0")).toBe(false);
  });

  test("a re-list shades the gap since the stream's last entry and ends the bars of pods it no longer holds", () => {
    const gapped = timeline([
      ["LISTED", "web-0", ready],
      ["LISTED", "web-1", ready],
      ["RELIST", ["web-0"]],
    ]);
    expect(gapsOf(gapped)).toEqual([{ fromMs: 100, toMs: 200, kind: "Pod" }]);
    expect(barsOf(gapped, "web").find((b) => b.lane === 1)?.toMs).toBe(200);
  });

  test("lanes, bars, marks and the revision are drawn; a violation in red at its moment with the guarantee", () => {
    const svg = timelinePicture({
      entries,
      set: "web",
      title: "G3 <replacement> keeps its name",
      violations: [{ guarantee: "G3", pod: "web-1", expected: "the same name", seen: "web-9", seq: 6 }],
    });
    expect(svg.match(/<g class="lane"/g)).toHaveLength(2);
    expect(svg).toContain('data-member="web-1"');
    expect(svg.match(/class="bar /g)).toHaveLength(6);
    expect(svg).toContain('class="bar terminating"');
    expect(svg).toContain("delete pod web-1");
    expect(svg).toMatch(/class="revision"[^>]*>new bbb</);
    expect(svg).toContain('data-guarantee="G3"');
    expect(svg).toContain("G3 broken at +0.6 s for web-1: expected the same name; seen web-9");
    expect(svg).toContain("G3 &lt;replacement&gt; keeps its name"); // escaped
  });

  test("a violation read from a pod (no moment in the timeline) is listed in red, with no line", () => {
    const svg = timelinePicture({
      entries,
      set: "web",
      title: "G9",
      violations: [{ guarantee: "G9", pod: "web-0", expected: "the bytes written", seen: "none" }],
    });
    expect(svg).toContain('data-guarantee="G9"');
    expect(svg).toContain("G9 broken for web-0: expected the bytes written; seen none (read from the pod");
    expect(svg).not.toContain('class="moment"');
  });

  test("a held timeline has no violation; one with nothing of the set still draws an empty picture", () => {
    expect(timelinePicture({ entries, set: "web", title: "held" })).not.toContain('class="violation"');
    const empty = timelinePicture({ entries: [], set: "web", title: "nothing" });
    expect(empty).toContain("<svg");
    expect(empty).not.toContain('class="lane"');
  });
});
