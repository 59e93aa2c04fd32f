// What the environment tests share: preflight asked to refuse, and how it refused.
import { expect } from "@jest/globals";
import { preflight } from "../../harness/cluster/preflight.js";
import { ExitCode, HarnessError } from "../../harness/errors/harness-error.js";
import type { Target } from "../../harness/kube/client.js";
import { measure } from "../../harness/report/measure.js";
import { attach } from "../../harness/report/step.js";

/** Runs preflight, which must refuse with one line and exit code 2; the line and time go to the report. */
export async function preflightRefusal(t: Target, o: Parameters<typeof preflight>[1] = {}): Promise<HarnessError> {
  const started = Date.now();
  const error = await preflight(t, o).then(
    () => undefined,
    (e: unknown) => e,
  );
  await measure("time to answer", Date.now() - started);
  expect(error).toBeInstanceOf(HarnessError);
  const refusal = error as HarnessError;
  await attach("the line printed", `sts-conformance: ${refusal.message}`);
  expect(refusal.exitCode).toBe(ExitCode.Environment);
  expect(refusal.message).not.toContain("\n");
  return refusal;
}
