import { describe, expect, test } from "@jest/globals";
import { endLine, startLine, stepLine } from "./progress.js";
import type { TestSummary } from "./summary.js";

const t: TestSummary = {
  file: "suites/scale-down.test.ts",
  name: "G15 scale-down G15: from the highest ordinal",
  guarantees: ["G15"],
  negativeControl: false,
  capabilities: [],
  kind: "check",
  verdict: "held",
  durationMs: 12_345,
  measurements: {},
};

describe("progress lines", () => {
  test("a test's start and end: its checks, verdict, time and count; why, for anything but held", () => {
    expect(startLine("G15: from the highest ordinal", { guarantees: ["G15"], capabilities: [] })).toBe(
      "▶ G15      G15: from the highest ordinal",
    );
    expect(endLine(t, "G15: from the highest ordinal", 12, 85)).toBe(
      "[12/85] held          12.3 s  G15      G15: from the highest ordinal",
    );
    const broken = { ...t, verdict: "BROKEN" as const, failure: "G15 broken at #9 for web-0" };
    expect(endLine(broken, "G15: x", 13, 85)).toContain("\n[sts]     G15 broken at #9 for web-0");
    const skipped = { ...t, verdict: "skipped" as const, skipReason: "the gate is off" };
    expect(endLine(skipped, "G15: x", 14, undefined)).toMatch(/^\[14\] skipped[\s\S]*the gate is off$/);
  });

  test("a step of a long test: the test, the step, how long the test has run", () => {
    expect(stepLine("G15 scale-down", "act: scale web to 1", 21_400)).toBe(
      "  G15 scale-down › act: scale web to 1 (+21 s)",
    );
  });
});
