// Jest reporter: per test the guarantees it checks (G-numbers in its name), verdict, duration and
// measured times (recovery, cluster-bound), as a terminal table and reports/summary.json; and a
// closing line CI tools read ("N passed, N failed, N skipped").
// Plain JavaScript: Jest loads reporters without transforming them.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

// A check passes when the guarantee held; a negative control passes when its broken fixture was flagged.
const verdicts = { passed: "held", failed: "BROKEN", pending: "skipped", skipped: "skipped", todo: "skipped" };
const controlVerdicts = { ...verdicts, passed: "flagged", failed: "MISSED" };

export default class SummaryReporter {
  /** @param {unknown} _globalConfig @param {{ outputDirectory?: string }} options */
  constructor(_globalConfig, options = {}) {
    this.dir = options.outputDirectory ?? "reports";
    this.measurements = join(this.dir, "measurements.jsonl");
  }

  onRunStart() {
    rmSync(this.measurements, { force: true }); // tests append to it during this run
  }

  /** Measurements recorded by tests (harness/report/measure.ts), by full test name. */
  readMeasurements() {
    const byTest = new Map();
    if (!existsSync(this.measurements)) return byTest;
    for (const line of readFileSync(this.measurements, "utf8").split("\n").filter(Boolean)) {
      const { test, name, ms } = JSON.parse(line);
      byTest.set(test, { ...byTest.get(test), [name]: ms });
    }
    return byTest;
  }

  /** @param {unknown} _contexts @param {import('@jest/reporters').AggregatedResult} results */
  onRunComplete(_contexts, results) {
    const measured = this.readMeasurements();
    const tests = results.testResults.flatMap((file) =>
      file.testResults.map((t) => ({
        file: file.testFilePath.replace(process.cwd() + "/", ""),
        name: t.fullName,
        guarantees: [...new Set(t.title.match(/\bG\d+\b/g) ?? [])],
        negativeControl: /negative control/.test(t.title),
        verdict: (/negative control/.test(t.title) ? controlVerdicts : verdicts)[t.status] ?? t.status,
        durationMs: t.duration ?? 0,
        measurements: measured.get(t.fullName) ?? {},
        failure: t.failureMessages.length ? t.failureMessages[0].split("\n")[0] : undefined,
      })),
    );
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(
      join(this.dir, "summary.json"),
      JSON.stringify({ startedAt: new Date(results.startTime).toISOString(), tests }, null, 2),
    );

    const scenarios = tests.filter((t) => t.guarantees.length > 0);
    if (scenarios.length > 0) {
      const rows = scenarios.map((t) => {
        const m = Object.entries(t.measurements)
          .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}s`)
          .join(", ");
        const kind = t.negativeControl ? "control" : "check";
        return [t.guarantees.join(" "), kind, t.verdict, `${(t.durationMs / 1000).toFixed(1)}s`, m];
      });
      const header = ["guarantees", "kind", "verdict", "time", "measured"];
      const widths = [0, 1, 2, 3].map((i) => Math.max(...[header, ...rows].map((r) => r[i].length)));
      const line = (r) =>
        `${r
          .slice(0, 4)
          .map((c, i) => c.padEnd(widths[i]))
          .join("  ")}  ${r[4]}\n`;
      process.stdout.write(`\n${line(header)}`);
      for (const r of rows) process.stdout.write(line(r));
    }
    const failedSuites = results.testResults.filter((f) => f.testExecError).length;
    const failed = results.numFailedTests + failedSuites;
    process.stdout.write(
      `\nsts-conformance: ${results.numPassedTests} passed, ${failed} failed, ${results.numPendingTests} skipped\n`,
    );
  }
}
