// How a scenario turns a checker's result into a verdict, always after the recorder has caught up
// with the cluster (no verdict over a timeline tail that has not arrived yet).
import { attach } from "../../harness/report/step.js";
import { formatEntry } from "../../harness/timeline/entry.js";
import { formatOutsideDeletion, outsideDeletions } from "../../harness/timeline/interference.js";
import { judgeCheck, judgeControl, type Expected } from "../../harness/checks/judge.js";
import { formatGap, type CheckResult } from "../../harness/timeline/replay.js";
import { formatViolation, type Violation } from "../../harness/verdict/violation.js";
import { GuaranteeBroken, Inconclusive, type Verdict } from "../../harness/verdict/verdict.js";
import type { TimelineRecorder } from "../../harness/timeline/recorder.js";
import type { ScenarioContext } from "./context.js";

export type Check = () => CheckResult | Violation[];

/** What checks judge: a set's timeline, caught up with the cluster first (a recording read back is already whole). */
export type Judged = Pick<ScenarioContext, "set"> & {
  recorder: Pick<TimelineRecorder, "entries" | "catchUp">;
  /**
   * Whoever deleted a pod, it is what is judged: the upgrade gate's subject is what the upgrade
   * (the operator's drains and deletes among it) did to the sets, so no deletion is "from outside".
   */
  judgesEveryone?: boolean;
};

export class Checks {
  /** Every violation a check of this scenario found (BROKEN, or flagged by a control): drawn on its timeline picture. */
  readonly found: Violation[] = [];

  constructor(private readonly c: Judged) {}

  /**
   * Held: no violation and no gap that could hide one. BROKEN: each violation with the timeline
   * around the first. Inconclusive: a gap over the checked window that may hide a violation.
   */
  async held(check: Check): Promise<void> {
    const j = judgeCheck(await this.judge(check));
    if (j.verdict === "inconclusive") throw new Inconclusive(j.why);
    if (j.verdict === "BROKEN") {
      const text = this.explain(j.violations);
      await attach("violations", text);
      const outside = this.c.judgesEveryone ? undefined : this.outside();
      if (outside)
        throw new Inconclusive(`${outside}; the check saw: ${formatViolation(j.violations[0] as Violation)}`);
      throw new GuaranteeBroken(text);
    }
  }

  /**
   * A negative control's assertion: the same check, on a deliberately broken fixture, must flag
   * what the fixture breaks (`built`), not something else; a gap leaves it inconclusive unless the
   * violation was seen happen; nothing flagged means the checker cannot fail.
   */
  async flagged(check: Check, built: Expected): Promise<void> {
    const r = await this.judge(check);
    const j = judgeControl(r, built);
    if (j.verdict === "flagged") return attach("flagged (as it must be)", this.explain(r.violations));
    if (j.verdict === "inconclusive") throw new Inconclusive(j.why);
    throw new GuaranteeBroken(j.why);
  }

  /**
   * The verdict itself, without failing the test: for tests about the suite's own judgement.
   * What it found (violations, gaps) is attached to the report.
   */
  async verdict(check: Check): Promise<Verdict> {
    const { violations, gaps } = await this.judge(check);
    await attach("verdict", [...violations.map(formatViolation), ...gaps.map(formatGap)].join("\n") || "held");
    return violations.length > 0 ? "BROKEN" : gaps.length > 0 ? "inconclusive" : "held";
  }

  /**
   * Whether someone other than the suite and the controllers deleted the set's pods during the
   * scenario: then a failure may be their doing, and the verdict is inconclusive, naming them.
   */
  outside(): string | undefined {
    const found = outsideDeletions(this.c.recorder.entries, this.c.set);
    if (found.length === 0) return undefined;
    return `the scenario was disturbed from outside: ${found.map(formatOutsideDeletion).join("; ")}`;
  }

  private async judge(check: Check): Promise<CheckResult> {
    await this.c.recorder.catchUp();
    const r = check();
    const relists = this.c.recorder.entries.filter((e) => e.type === "RELIST");
    if (relists.length > 0) {
      // A re-list across which nothing changed is no gap; say so, so a held verdict shows it too.
      const where = relists.map((e) => `#${e.seq} ${e.kind}`).join(", ");
      await attach(
        "watch re-lists",
        `${relists.length} re-list(s) in the timeline (${where}); gaps that may hide a change are reported as such`,
      );
    }
    const result = Array.isArray(r) ? { violations: r, gaps: [] } : r;
    this.found.push(...result.violations);
    return result;
  }

  private explain(violations: Violation[]): string {
    const entries = this.c.recorder.entries;
    const first = violations.find((v) => v.seq !== undefined)?.seq ?? entries.length - 1;
    const around = entries.filter((e) => e.seq >= first - 8 && e.seq <= first + 4);
    return [...violations.map(formatViolation), "", "timeline around it:", ...around.map(formatEntry)].join("\n");
  }
}
