import type { Violation } from "../verdict/violation.js";

/** What the API server answered to one attempted update of a set's spec. */
export interface UpdateOutcome {
  /** The field the update changed, e.g. "spec.selector". */
  field: string;
  /** HTTP status: 200 accepted, 422 rejected as invalid. */
  code: number;
  message: string;
}

/** The API server's words for a change to a StatefulSet field that may not change. */
const immutableRule = /updates to statefulset spec for fields other than/;

/**
 * G38: an update to an immutable field (selector, volumeClaimTemplates, serviceName…) is rejected
 * as invalid, for that reason and not another (a bad update rejected for some other fault proves
 * nothing).
 */
export function checkRejectedAsImmutable(outcomes: UpdateOutcome[]): Violation[] {
  return outcomes
    .filter((o) => o.code !== 422 || !immutableRule.test(o.message))
    .map((o) => ({
      guarantee: "G38",
      pod: o.field,
      expected: `an update of ${o.field} rejected (422: the field is immutable)`,
      seen: o.code === 422 ? `rejected for another reason: ${o.message.slice(0, 200)}` : `HTTP ${o.code}: accepted`,
    }));
}
