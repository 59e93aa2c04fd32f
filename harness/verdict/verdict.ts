// The three verdicts (held, BROKEN, inconclusive) and the errors that carry them.
import { ExitCode, HarnessError } from "../errors/harness-error.js";

/**
 * The three verdicts of a check. `held`: the guarantee provably held. `BROKEN`: the cluster
 * violated it (positive evidence). `inconclusive`: the suite could not decide (a timeout on a slow
 * cluster, a failed exec or API call, a watch gap over the checked window). Never one for another.
 */
export type Verdict = "held" | "BROKEN" | "inconclusive";

/** Prefixes of failure messages, read back by the reporter from Jest's results. */
export const VerdictMarker = { broken: "BROKEN: ", inconclusive: "INCONCLUSIVE: " } as const;

/**
 * The cluster violated a guarantee. Its name contains "Assertion" so Allure files it as a failed
 * test (a finding), not a broken one (a test that could not run).
 */
export class GuaranteeBroken extends Error {
  constructor(text: string) {
    super(`${VerdictMarker.broken}${text}`);
    this.name = "GuaranteeAssertionError";
  }
}

/** The suite could not decide. */
export class Inconclusive extends HarnessError {
  constructor(why: string, options?: { cause?: unknown }) {
    super(`${VerdictMarker.inconclusive}${why}`, ExitCode.Inconclusive, options);
    this.name = "Inconclusive";
  }
}

/**
 * The verdict a failed test's message stands for. BROKEN needs positive evidence: a violation the
 * suite raised or a failed expectation on what it observed. Anything else (an API error, an exec
 * that failed, a bug in the suite) means the suite could not decide.
 */
export function failureVerdict(message: string): Exclude<Verdict, "held"> {
  if (message.includes(VerdictMarker.inconclusive)) return "inconclusive";
  if (message.includes(VerdictMarker.broken)) return "BROKEN";
  return /^(\w*Error: )?expect\(/m.test(message) ? "BROKEN" : "inconclusive";
}
