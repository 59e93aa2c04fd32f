// Jest reporter for the CLI's runs, in place of Jest's default one: a progress line per test as it
// starts and ends (verdict, time, count), on stderr. The run's table and counts (summary-reporter)
// stay the last lines a person sees: no repeated failures, no "Ran all test suites" pattern line.
// Plain JavaScript (Jest loads reporters untransformed): the logic is in harness/report/progress.ts, via tsx.
import { tsImport } from "tsx/esm/api";

/** A spec of the cluster project (unit tests of the suite itself are counted apart). */
const isScenario = (test) => test.path.includes("/suites/");

export default class ProgressReporter {
  /** @param {{ testNamePattern?: string }} globalConfig @param {{ outputDirectory?: string; total?: number }} options */
  constructor(globalConfig, options = {}) {
    this.testNamePattern = globalConfig.testNamePattern;
    this.dir = options.outputDirectory ?? "reports";
    this.total = options.total;
    this.done = 0;
  }

  async onRunStart() {
    this.p = await tsImport("../../harness/report/progress.ts", import.meta.url);
    this.s = await tsImport("../../harness/report/summary.ts", import.meta.url);
    const { metaOf } = await tsImport("../../harness/catalogue/specs.ts", import.meta.url);
    const { labelsOf } = await tsImport("../../harness/catalogue/test-meta.ts", import.meta.url);
    /** A test's labels from its spec's metadata. */
    this.labelsOf = (test, info) => labelsOf(metaOf(this.file(test), info.fullName));
    this.chosen = this.s.selectedBy(this.testNamePattern);
    this.readSkipped = (await tsImport("../../harness/report/skipped.ts", import.meta.url)).readSkipped;
    // as a Sonobuoy plugin, `sonobuoy status` shows tests done / total / not held
    this.sonobuoy = (await tsImport("../../harness/in-cluster/sonobuoy.ts", import.meta.url)).progressSender();
    this.notHeld = [];
    this.sonobuoy?.({ msg: "starting", total: this.total ?? 0, completed: 0 });
  }

  /** A spec's path from the repository's root. @param {{ path: string }} test */
  file(test) {
    return test.path.replace(`${process.cwd()}/`, "");
  }

  /** @param {{ path: string }} test @param {{ fullName: string; title: string }} info */
  onTestCaseStart(test, info) {
    if (!isScenario(test) || !this.chosen(info)) return;
    this.p.progress(this.p.startLine(info.title, this.labelsOf(test, info)));
  }

  /** @param {{ path: string }} test @param {import('@jest/test-result').AssertionResult} result */
  onTestCaseResult(test, result) {
    if (!isScenario(test) || !this.chosen(result)) return; // --focus/--skip left it out: no part of the run
    this.done++;
    // skips are noted as their files load, so read at each result
    const skipped = this.readSkipped(this.dir).get(result.title); // { reason, standIn? }
    const t = this.s.summarize(this.file(test), result, this.labelsOf(test, result), {}, skipped);
    this.p.progress(this.p.endLine(t, result.title, this.done, this.total));
    if (!this.sonobuoy) return;
    if (!["held", "flagged", "skipped"].includes(t.verdict)) this.notHeld.push(`${t.verdict}: ${result.title}`);
    const msg = `${t.verdict}: ${result.title}`;
    this.sonobuoy({ msg, total: this.total ?? 0, completed: this.done, failures: this.notHeld });
  }

  /** A file that could not run at all: its error, in one line. */
  onTestFileResult(test, result) {
    if (result.testExecError)
      this.p.progress(
        `could not run ${test.path.replace(`${process.cwd()}/`, "")}: ${result.testExecError.message.split("\n")[0]}`,
      );
  }
}
