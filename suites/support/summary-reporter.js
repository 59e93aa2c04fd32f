// Jest reporter: the run's result (harness/report/run-result.ts: verdicts, summary.json, junit.xml,
// the exit code, the closing lines) with a storage run's findings (harness/storage). A shim: Jest
// loads reporters as plain JavaScript, so the typed modules come through tsx.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { tsImport } from "tsx/esm/api";

export default class SummaryReporter {
  /** @param {{ testNamePattern?: string }} globalConfig @param {{ outputDirectory?: string }} options */
  constructor(globalConfig, options = {}) {
    this.testNamePattern = globalConfig.testNamePattern;
    this.dir = options.outputDirectory ?? "reports";
  }

  async onRunStart() {
    // tests append to these during this run
    const { runNoteFiles } = await tsImport("../../harness/report/run-result.ts", import.meta.url);
    for (const f of runNoteFiles) rmSync(join(this.dir, f), { force: true });
  }

  /** @param {unknown} _contexts @param {import('@jest/reporters').AggregatedResult} results */
  async onRunComplete(_contexts, results) {
    const { completeRun } = await tsImport("../../harness/report/run-result.ts", import.meta.url);
    const { storageFindings } = await tsImport("../../harness/storage/findings-report.ts", import.meta.url);
    await completeRun(this.dir, results, {
      testNamePattern: this.testNamePattern,
      storage: async (tests) => storageFindings(this.dir, tests),
    });
  }
}
