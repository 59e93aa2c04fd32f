import { describe, expect, test } from "@jest/globals";
import type { Gap } from "../timeline/replay.js";
import type { Violation } from "../verdict/violation.js";
import { judgeCheck, judgeControl } from "./judge.js";

const seen: Violation = { guarantee: "G23", pod: "web-0", expected: "kept", seen: "web-0 removed (uid 1)", seq: 3 };
const notSeen: Violation = {
  guarantee: "G24",
  pod: "web-0",
  expected: "removed",
  seen: "web-0 never removed",
  absence: true,
};
const gap: Gap = { seq: 2, kind: "Pod", changed: ["web-0"] };

describe("judging a check and a control", () => {
  test("a change seen is BROKEN even with a gap; something not seen over a gap is inconclusive", () => {
    expect(judgeCheck({ violations: [seen], gaps: [gap] }).verdict).toBe("BROKEN");
    expect(judgeCheck({ violations: [notSeen], gaps: [] }).verdict).toBe("BROKEN");
    const overGap = judgeCheck({ violations: [notSeen], gaps: [gap] });
    expect(overGap).toMatchObject({ verdict: "inconclusive" });
    expect(overGap.verdict === "inconclusive" && overGap.why).toMatch(/watch gap at #2.*saw nothing of: G24/);
    expect(judgeCheck({ violations: [], gaps: [gap] }).verdict).toBe("inconclusive");
    expect(judgeCheck({ violations: [], gaps: [] }).verdict).toBe("held");
  });

  test("a control is flagged only on the violation its fixture causes", () => {
    const built = { guarantee: "G23", seen: /removed/ };
    expect(judgeControl({ violations: [seen], gaps: [] }, built).verdict).toBe("flagged");
    expect(judgeControl({ violations: [seen], gaps: [gap] }, built).verdict).toBe("flagged");
    const other = judgeControl({ violations: [notSeen], gaps: [] }, built);
    expect(other).toMatchObject({ verdict: "MISSED" });
    expect(other.verdict === "MISSED" && other.why).toMatch(/something other than what the fixture breaks/);
    expect(judgeControl({ violations: [], gaps: [] }, built)).toMatchObject({ verdict: "MISSED" });
  });

  test("a control's 'not seen' violation counts only over a window without gaps", () => {
    const built = { guarantee: "G24", seen: /never removed/ };
    expect(judgeControl({ violations: [notSeen], gaps: [] }, built).verdict).toBe("flagged");
    expect(judgeControl({ violations: [notSeen], gaps: [gap] }, built).verdict).toBe("inconclusive");
  });
});
