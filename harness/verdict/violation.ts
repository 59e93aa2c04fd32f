/** A guarantee that did not hold: which one, which pod, what was expected, what was seen, when. */
export interface Violation {
  guarantee: string;
  pod: string;
  expected: string;
  seen: string;
  /** The timeline entry at which it was seen; absent for checks of a snapshot (an exec, a lookup). */
  seq?: number;
  /**
   * Something expected was not seen ("never removed", "not recorded"): a watch gap can make that
   * too, so with a gap in the window it decides nothing (inconclusive), unlike a change seen.
   */
  absence?: true;
}

export function formatViolation(v: Violation): string {
  const at = v.seq === undefined ? "" : ` at #${v.seq}`;
  return `${v.guarantee} broken${at} for ${v.pod}: expected ${v.expected}; seen ${v.seen}`;
}
