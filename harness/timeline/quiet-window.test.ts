import { describe, expect, test } from "@jest/globals";
import { Inconclusive } from "../verdict/verdict.js";
import { ready, timeline } from "./hand-made.js";
import { quietWindow } from "./quiet-window.js";
import type { TimelineRecorder } from "./recorder.js";

/** A recorder that has recorded `entries` and is caught up: the window has already passed. */
const recorded = (entries: ReturnType<typeof timeline>) =>
  ({ entries, now: () => 1e9, catchUp: async () => undefined }) as unknown as TimelineRecorder;
const created = (e: { type: string }) => e.type === "ADDED";

describe("the quiet window", () => {
  test("returns what happened in it that was forbidden", async () => {
    const entries = timeline([
      ["ADDED", "web-0"],
      ["MODIFIED", "web-0", ready],
      ["ADDED", "web-1"],
    ]);
    expect((await quietWindow(recorded(entries), 1, 10, created)).map((e) => e.name)).toEqual(["web-1"]);
  });

  test("a pod created inside a watch gap arrives as LISTED, not ADDED: inconclusive, never quiet", async () => {
    const entries = timeline([
      ["ADDED", "web-0"],
      ["MODIFIED", "web-0", ready],
      ["RELIST", ["web-0", "web-1"]],
      ["LISTED", "web-0", ready],
      ["LISTED", "web-1"],
    ]);
    await expect(quietWindow(recorded(entries), 2, 10, created)).rejects.toThrow(Inconclusive);
    await expect(quietWindow(recorded(entries), 2, 10, created)).rejects.toThrow(/web-1 appeared/);
  });

  test("a re-list across which nothing changed leaves it quiet", async () => {
    const entries = timeline([
      ["ADDED", "web-0"],
      ["MODIFIED", "web-0", ready],
      ["RELIST", ["web-0"]],
      ["LISTED", "web-0", ready],
    ]);
    expect(await quietWindow(recorded(entries), 2, 10, created)).toEqual([]);
  });
});
