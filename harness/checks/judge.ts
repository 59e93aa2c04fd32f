// How a checker's result becomes a verdict, as pure decisions (suites/support/verdicts.ts applies
// them after the recorder's barrier). A change seen is a change; something not seen decides
// nothing over a window with a watch gap, where it may have happened unseen.
import { formatGap, type CheckResult } from "../timeline/replay.js";
import { formatViolation, type Violation } from "../verdict/violation.js";

/** What a negative control's fixture was built to make its checker report: the guarantee, and what is seen. */
export interface Expected {
  guarantee: string;
  seen: RegExp;
}

export type CheckJudgement =
  { verdict: "held" } | { verdict: "BROKEN"; violations: Violation[] } | { verdict: "inconclusive"; why: string };

export type ControlJudgement =
  | { verdict: "flagged"; matched: Violation[] }
  | { verdict: "MISSED"; why: string }
  | { verdict: "inconclusive"; why: string };

const gapText = (r: CheckResult) => r.gaps.map(formatGap).join("; ");

/** A check: BROKEN on a change seen, or on something not seen over a window without a gap. */
export function judgeCheck(r: CheckResult): CheckJudgement {
  const seenWrong = r.violations.some((v) => !v.absence);
  if (r.violations.length > 0 && (seenWrong || r.gaps.length === 0))
    return { verdict: "BROKEN", violations: r.violations };
  if (r.gaps.length > 0)
    return {
      verdict: "inconclusive",
      why:
        gapText(r) +
        (r.violations.length > 0 ? `; the check saw nothing of: ${r.violations.map(formatViolation).join("; ")}` : ""),
    };
  return { verdict: "held" };
}

/**
 * A negative control: flagged only on the violation its fixture was built to cause (never on
 * another the checker happens to raise), and on a "not seen" one only over a window without gaps.
 */
export function judgeControl(r: CheckResult, built: Expected): ControlJudgement {
  const matched = r.violations.filter((v) => v.guarantee === built.guarantee && built.seen.test(v.seen));
  if (matched.some((v) => !v.absence) || (matched.length > 0 && r.gaps.length === 0))
    return { verdict: "flagged", matched };
  if (r.gaps.length > 0) return { verdict: "inconclusive", why: gapText(r) };
  const wanted = `${built.guarantee} seen ${built.seen}`;
  if (r.violations.length > 0)
    return {
      verdict: "MISSED",
      why: `the checker flagged something other than what the fixture breaks (wanted ${wanted}): ${r.violations.map(formatViolation).join("; ")}`,
    };
  return { verdict: "MISSED", why: `the checker did not flag the broken fixture (wanted ${wanted}): it cannot fail` };
}
