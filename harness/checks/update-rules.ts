// The update-rules check: an API server's answer to an update, accepted, rejected as immutable, or
// undecided (G38).
import { Inconclusive } from "../verdict/verdict.js";
import type { Violation } from "../verdict/violation.js";

/** What the API server answered to one attempted update of a set's spec. */
export interface UpdateOutcome {
  /** The field the update changed, e.g. "spec.selector". */
  field: string;
  /** HTTP status: 200 accepted, 422 rejected as invalid. */
  code: number;
  message: string;
}

/**
 * The API server's answer to an update, as G38 judges it: accepted (200) or rejected as invalid
 * (422). Any other refusal (403 from RBAC or an admission webhook, 400, 404) says nothing about
 * the field, so the suite could not decide: inconclusive with the server's words.
 */
export function updateOutcome(field: string, code: number, message: string): UpdateOutcome {
  if (code !== 200 && code !== 422)
    throw new Inconclusive(
      `the update of ${field} was refused with HTTP ${code}, neither accepted nor rejected as invalid: ${message.slice(0, 300)}`,
    );
  return { field, code, message };
}

/**
 * The API server's words for a change to a StatefulSet field that may not change. Up to v1.36 one
 * error on `spec` lists the fields that may change; from v1.37 (declarative validation) the error
 * is on the field itself: "spec.selector: Invalid value: …: field is immutable".
 */
const anyFieldButThese = /updates to statefulset spec for fields other than/;

/** The field errors of a 422's Status body (details.causes), if the message is one. */
function causesOf(message: string): { field?: string; message?: string }[] {
  try {
    const status = JSON.parse(message) as { details?: { causes?: { field?: string; message?: string }[] } };
    return status.details?.causes ?? [];
  } catch {
    return [];
  }
}

const rejectedAsImmutable = (o: UpdateOutcome) =>
  o.code === 422 &&
  (anyFieldButThese.test(o.message) ||
    causesOf(o.message).some((c) => c.field === o.field && /field is immutable/.test(c.message ?? "")));

/**
 * G38: an update to an immutable field (selector, volumeClaimTemplates, serviceName…) is rejected
 * as invalid, for that reason and not another (a bad update rejected for some other fault proves
 * nothing).
 */
export function checkRejectedAsImmutable(outcomes: UpdateOutcome[]): Violation[] {
  return outcomes
    .filter((o) => !rejectedAsImmutable(o))
    .map((o) => ({
      guarantee: "G38",
      pod: o.field,
      expected: `an update of ${o.field} rejected (422: the field is immutable)`,
      seen:
        o.code === 422
          ? `rejected for another reason: ${o.message.slice(0, 200)}`
          : o.code === 200
            ? "HTTP 200: accepted"
            : `HTTP ${o.code}: ${o.message.slice(0, 200)}`,
    }));
}
