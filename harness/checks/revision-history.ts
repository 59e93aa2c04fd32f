// The revision-history check: the ControllerRevisions a set keeps within its limit (G33).
import type { Violation } from "../verdict/violation.js";

/** One ControllerRevision of a set, as G33 judges it. */
export interface SetRevision {
  name: string;
  /** The revision number: each new template gets the next one. */
  revision: number;
  /** Whether the set owns it as its controller. */
  ownedBySet: boolean;
}

/**
 * G33 revision history: every revision is owned by the set; of the revisions no pod and neither
 * currentRevision nor updateRevision uses (non-live), at most `limit` (revisionHistoryLimit) are
 * kept, and they are the newest (truncation deletes the oldest first). `live` names the live ones;
 * numbers are consecutive when the test made one template after another, as the G33 test does.
 */
export function checkRevisionHistory(kept: SetRevision[], live: string[], limit: number): Violation[] {
  const violations: Violation[] = kept
    .filter((r) => !r.ownedBySet)
    .map((r) => ({
      guarantee: "G33",
      pod: r.name,
      expected: "owned by the set",
      seen: "no controller reference to it",
    }));
  const old = kept.filter((r) => !live.includes(r.name)).sort((a, b) => b.revision - a.revision);
  const newest = Math.max(0, ...kept.map((r) => r.revision));
  const liveNumbers = new Set(kept.filter((r) => live.includes(r.name)).map((r) => r.revision));
  const expected: number[] = [];
  for (let n = newest; n >= 1 && expected.length < limit; n--) if (!liveNumbers.has(n)) expected.push(n);
  const seen = old.map((r) => r.revision);
  if (seen.join(",") !== expected.join(","))
    violations.push({
      guarantee: "G33",
      pod: "revision history",
      expected: `the ${limit} newest old revision(s) kept (revisionHistoryLimit=${limit}): ${expected.join(", ") || "none"}`,
      seen: `old revisions ${seen.join(", ") || "none"} (live: ${[...liveNumbers].join(", ")})`,
    });
  return violations;
}
