// Jest reporter: a closing line CI tools read ("N passed, N failed, N skipped") and a JSON
// summary of every test (name, status, duration) in reports/summary.json.
// Plain JavaScript: Jest loads reporters without transforming them.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export default class SummaryReporter {
  /** @param {unknown} _globalConfig @param {{ outputDirectory?: string }} options */
  constructor(_globalConfig, options = {}) {
    this.dir = options.outputDirectory ?? "reports";
  }

  /** @param {unknown} _contexts @param {import('@jest/reporters').AggregatedResult} results */
  onRunComplete(_contexts, results) {
    const tests = results.testResults.flatMap((file) =>
      file.testResults.map((t) => ({
        file: file.testFilePath.replace(process.cwd() + "/", ""),
        name: t.fullName,
        status: t.status,
        durationMs: t.duration ?? 0,
        failure: t.failureMessages.length ? t.failureMessages[0].split("\n")[0] : undefined,
      })),
    );
    const failedSuites = results.testResults.filter((f) => f.testExecError).length;
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(
      join(this.dir, "summary.json"),
      JSON.stringify({ startedAt: new Date(results.startTime).toISOString(), tests }, null, 2),
    );
    const failed = results.numFailedTests + failedSuites;
    process.stdout.write(
      `\nsts-conformance: ${results.numPassedTests} passed, ${failed} failed, ${results.numPendingTests} skipped\n`,
    );
  }
}
