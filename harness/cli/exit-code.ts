// The CLI's exit code of a run, from its summary's and its test runner's.
import { ExitCode } from "../errors/harness-error.js";

/**
 * A run's exit code: its verdicts' when its reporter wrote a summary (but see below); else the test runner's when
 * it is one the suite gives (bad input, the suite failed); else the runner itself failed (a Jest
 * crash exits 1, which must not read as a broken guarantee).
 */
export function runExitCode(fromSummary: number | undefined, fromRunner: number | undefined): number {
  // The environment failing under the run (credentials refused mid-run, its teardown unable to
  // clean up) outranks "held" or "inconclusive", never a guarantee seen broken.
  if (fromSummary !== undefined)
    return fromRunner === ExitCode.Environment && fromSummary !== ExitCode.GuaranteeBroken
      ? ExitCode.Environment
      : fromSummary;
  if (fromRunner === undefined) return ExitCode.SuiteFailed;
  const ours: number[] = [ExitCode.Ok, ExitCode.Environment, ExitCode.SuiteFailed];
  return ours.includes(fromRunner) ? fromRunner : ExitCode.SuiteFailed;
}
