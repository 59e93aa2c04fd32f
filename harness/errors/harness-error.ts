/** Exit codes of every command of the suite: CI tells a broken guarantee from a broken setup. */
export const ExitCode = {
  /** Every guarantee held. */
  Ok: 0,
  /** A guarantee broke (a test failed). */
  GuaranteeBroken: 1,
  /** Bad input or an environment the suite cannot use; nothing was harmed. */
  Environment: 2,
  /** No guarantee broke, but at least one check could not decide (slow cluster, failed exec, watch gap). */
  Inconclusive: 3,
  /** The suite itself failed in a way it does not know (a bug in it): no verdict, whatever it says. */
  SuiteFailed: 4,
  /** Nothing was decided: no check the run selected ran (every one skipped, not run or left out). */
  NothingDecided: 5,
  /** Stopped by SIGINT or SIGTERM; what the run changed was undone first. */
  Interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * A failure the user can act on: one line saying what is wrong and what to do next. The CLI
 * prints `message` alone (no stack trace) and exits with `exitCode`.
 */
export class HarnessError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.Environment,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "HarnessError";
  }
}

/** The one line for an error the suite did not expect (not a HarnessError): never read as a verdict. */
export const suiteFailedLine = (e: unknown): string =>
  `the suite failed unexpectedly (exit ${ExitCode.SuiteFailed}, not a verdict: a bug in it, please report): ${
    e instanceof Error ? (e.stack ?? e.message) : String(e)
  }`;
