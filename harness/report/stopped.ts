// A run that stopped before its tests (bad input, preflight refused, cluster unreachable) still
// leaves a JUnit file saying why, in one failed case: a CI gate or Sonobuoy reading junit.xml shows
// the reason instead of "no results" or a previous run's file.
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { junitXml } from "./junit.js";
import { runProperties } from "./run-properties.js";

export const stoppedCaseName = "the run could not start";

/** The case of a run stopped by a signal before its reporters wrote their own. */
export const interruptedCaseName = "the run was stopped";

/** junit.xml with one failed case holding `line`, unless this run (since `since`) wrote one. */
export function writeStoppedJunit(dir: string, line: string, since = 0, name = stoppedCaseName): void {
  const file = join(dir, "junit.xml");
  if (since > 0 && existsSync(file) && statSync(file).mtimeMs >= since) return;
  mkdirSync(dir, { recursive: true });
  const outcome = { kind: "failure" as const, type: "stopped", message: line };
  writeFileSync(
    file,
    junitXml(
      "sts-conformance",
      [
        {
          name: "sts-conformance",
          cases: [{ classname: "sts-conformance", name, seconds: 0, outcome }],
        },
      ],
      runProperties(),
    ),
  );
}
