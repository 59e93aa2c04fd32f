// The set-deletion check: what deleting the set leaves behind, its Service and its claims (G39).
import type { Violation } from "../verdict/violation.js";

/** What is left in the namespace after the set is deleted and its pods are gone. */
export interface LeftBehind {
  /** The governing Service's name, and whether it still exists. */
  service: { name: string; exists: boolean };
  /** The claims that still exist (not being deleted). */
  claims: string[];
}

/**
 * G39 (with G10): deleting a set deletes its pods only: the governing Service, which the user
 * made, stays, and so does every claim under the default retention (whenDeleted: Retain).
 */
export function checkSetDeletionLeaves(left: LeftBehind, claims: string[]): Violation[] {
  const violations: Violation[] = [];
  if (!left.service.exists)
    violations.push({
      guarantee: "G39",
      pod: left.service.name,
      expected: `the governing Service ${left.service.name} left in place`,
      seen: "deleted with the set",
    });
  for (const claim of claims.filter((c) => !left.claims.includes(c)))
    violations.push({ guarantee: "G39", pod: claim, expected: `claim ${claim} kept`, seen: "deleted with the set" });
  return violations;
}
