/** A guarantee that did not hold: which one, which pod, what was expected, what was seen, when. */
export interface Violation {
  guarantee: string;
  pod: string;
  expected: string;
  seen: string;
  /** The timeline entry at which it was seen; absent for checks of a snapshot (an exec, a lookup). */
  seq?: number;
}

export function formatViolation(v: Violation): string {
  const at = v.seq === undefined ? "" : ` at #${v.seq}`;
  return `${v.guarantee} broken${at} for ${v.pod}: expected ${v.expected}; seen ${v.seen}`;
}
