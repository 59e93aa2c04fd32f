import { describe, expect, test } from "@jest/globals";
import type { RunResult } from "../chaos/results.js";
import { recoveryPicture } from "./recovery-picture.js";

const base = { problems: [], rssBytes: 1 };
const run: RunResult = {
  seed: 7,
  startedAt: "2026-12-05T10:00:00.000Z",
  acknowledgedWrites: 10,
  lostWrites: 0,
  unseenWrites: 0,
  rssStartBytes: 1,
  rssEndBytes: 1,
  iterations: [
    { ...base, iteration: 1, fault: "pod-delete", target: "web-1", recoveryMs: 4000, budgetMs: 30000 },
    {
      ...base,
      iteration: 2,
      fault: "partition",
      target: "w2",
      recoveryMs: 130000,
      budgetMs: 120000,
      problems: [{ guarantee: "recovery budget", text: "over budget: 130.0 s > 120.0 s" }],
    },
    {
      ...base,
      iteration: 3,
      fault: "node-stop",
      target: "w1",
      recoveryMs: 0,
      budgetMs: 180000,
      skipped: "over the budget",
    },
  ],
};

describe("the recovery picture", () => {
  test("a bar per recovered fault with its budget marked; over budget in red; a skipped fault named, with no bar", () => {
    const svg = recoveryPicture(run);
    expect(svg.match(/<g class="fault /g)).toHaveLength(3);
    expect(svg.match(/class="recovered"/g)).toHaveLength(2);
    expect(svg.match(/class="budget"/g)).toHaveLength(3);
    expect(svg).toMatch(/<g class="fault failed" data-fault="partition">[\s\S]*?fill="#d62728"/);
    expect(svg).toContain("4.0 s of 30 s");
    expect(svg).toContain("skipped: over the budget");
  });
});
