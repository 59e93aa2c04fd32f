import { ExitCode } from "../errors/harness-error.js";

/**
 * A run's exit code: its verdicts' when its reporter wrote a summary; else the test runner's when
 * it is one the suite gives (bad input, the suite failed); else the runner itself failed (a Jest
 * crash exits 1, which must not read as a broken guarantee).
 */
export function runExitCode(fromSummary: number | undefined, fromRunner: number | undefined): number {
  if (fromSummary !== undefined) return fromSummary;
  if (fromRunner === undefined) return ExitCode.SuiteFailed;
  const ours: number[] = [ExitCode.Ok, ExitCode.Environment, ExitCode.SuiteFailed];
  return ours.includes(fromRunner) ? fromRunner : ExitCode.SuiteFailed;
}
