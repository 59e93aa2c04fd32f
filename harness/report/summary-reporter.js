// Jest reporter: per test its verdict (held, BROKEN, inconclusive; controls flagged or MISSED),
// guarantees, duration and measurements, as a terminal table, reports/summary.json and
// reports/junit.xml; and a closing line CI tools read ("N passed, N failed, N skipped").
// Plain JavaScript (Jest loads reporters untransformed): the logic is in summary.ts, via tsx.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tsImport } from "tsx/esm/api";

/** A spec of the cluster project; unit tests check the suite itself and are counted apart from the cluster's verdicts. */
const isScenario = (file) => file.testFilePath.includes("/suites/");

export default class SummaryReporter {
  /** @param {{ testNamePattern?: string }} globalConfig @param {{ outputDirectory?: string }} options */
  constructor(globalConfig, options = {}) {
    this.testNamePattern = globalConfig.testNamePattern;
    this.dir = options.outputDirectory ?? "reports";
    this.measurements = join(this.dir, "measurements.jsonl");
    this.retained = join(this.dir, "retained-volumes.jsonl");
    this.skipped = join(this.dir, "skipped.jsonl");
    this.notOffered = join(this.dir, "not-offered.jsonl");
  }

  onRunStart() {
    // tests append to these during this run
    rmSync(this.measurements, { force: true });
    rmSync(this.retained, { force: true });
    rmSync(this.skipped, { force: true });
    rmSync(this.notOffered, { force: true });
  }

  /** Volumes left by namespace deletions because their reclaim policy is Retain. */
  readRetained() {
    if (!existsSync(this.retained)) return [];
    return readFileSync(this.retained, "utf8")
      .split("\n")
      .filter(Boolean)
      .flatMap((line) => JSON.parse(line).volumes);
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

  /**
   * A storage run's findings: per capability its claim beside its verdict (the matrix) and the
   * latency table; printed after the run's table, in summary.json and reports/storage-capabilities.json.
   * @param {{ file: string; name: string; guarantees: string[]; negativeControl: boolean; verdict: string; skipReason?: string }[]} tests
   * @param {string} storageClass
   */
  async storageFindings(tests, storageClass) {
    const c = await tsImport("../storage/capabilities.ts", import.meta.url);
    const m = await tsImport("../storage/matrix.ts", import.meta.url);
    const f = await tsImport("../storage/findings.ts", import.meta.url);
    const x = await tsImport("../storage/expectations.ts", import.meta.url);
    const expectations = x.runExpectations();
    const matrix = m.claimedVersusVerified(c.capabilityVerdicts(tests), expectations, f.readNotOffered(this.dir));
    const latencies = expectations ? m.latencyTable(f.readLatencies(this.dir), expectations) : [];
    const unverified = m.claimsUnverified(matrix).map((r) => r.id);
    const findings = { storageClass, profile: expectations?.profile, expectations, matrix, latencies, unverified };
    writeFileSync(join(this.dir, "storage-capabilities.json"), JSON.stringify(findings, null, 2));
    const text = [
      m.matrixTable(storageClass, expectations, matrix),
      ...(latencies.length ? [m.latencyText(latencies)] : []),
    ];
    return { findings, text: text.join("\n\n") };
  }

  /**
   * The run's tests with those --focus/--skip left out, as skipped: part of a capability's proof
   * that was not run (N5).
   */
  withLeftOut(s, results, chosen, tests) {
    const left = results.testResults.filter(isScenario).flatMap((file) =>
      file.testResults
        .filter((t) => !chosen(t))
        .map((t) => ({
          ...s.summarize(file.testFilePath.replace(process.cwd() + "/", ""), t),
          verdict: "skipped",
          skipReason: "not selected by this run's --focus/--skip",
        })),
    );
    return [...tests, ...left];
  }

  /** Each test's timeline (its text attachment), by name, for its JUnit <system-out>. */
  timelines(tests, readAllureResults, allureKey) {
    const results = join(this.dir, "allure-results");
    const attachments = readAllureResults(results);
    const byName = new Map();
    for (const t of tests) {
      const a = (attachments.get(allureKey(t.file, t.name)) ?? []).find((x) => x.name === "timeline");
      const file = a && join(results, a.source);
      if (file && existsSync(file)) byName.set(t.name, readFileSync(file, "utf8"));
    }
    return byName;
  }

  /** @param {unknown} _contexts @param {import('@jest/reporters').AggregatedResult} results */
  async onRunComplete(_contexts, results) {
    const s = await tsImport("./summary.ts", import.meta.url);
    const measured = this.readMeasurements();
    const { readSkipped } = await tsImport("./skipped.ts", import.meta.url);
    const skipped = readSkipped(this.dir);
    const units = results.testResults.filter((f) => !isScenario(f)).flatMap((f) => f.testResults);
    const unitFailed = units.filter((t) => t.status === "failed").length;
    const chosen = s.selectedBy(this.testNamePattern);
    const notSelected = results.testResults.flatMap((f) => f.testResults).filter((t) => !chosen(t)).length;
    const tests = results.testResults.filter(isScenario).flatMap((file) => {
      const path = file.testFilePath.replace(process.cwd() + "/", "");
      const cases = file.testResults
        .filter(chosen)
        .map((t) => s.summarize(path, t, measured.get(t.fullName), skipped.get(t.title)));
      // A file that failed to run (an error outside any test) is a test the suite could not run.
      if (file.testExecError)
        cases.push(
          s.summarize(path, {
            title: "(file)",
            fullName: `${path} (could not run)`,
            ancestorTitles: [],
            status: "failed",
            failureMessages: [`INCONCLUSIVE: ${file.testExecError.message}`],
          }),
        );
      return cases;
    });
    const counts = s.count(tests);
    const retainedVolumes = this.readRetained();
    const unit = { passed: units.length - unitFailed, failed: unitFailed };
    mkdirSync(this.dir, { recursive: true });
    const { setting } = await tsImport("../config/settings.ts", import.meta.url);
    // the class the preflight chose (exported by the global setup), unless it did not run
    const storage =
      setting("profile") === "storage" || setting("storageProfile")
        ? await this.storageFindings(
            this.withLeftOut(s, results, chosen, tests),
            setting("storageClassInUse") || "(the cluster's default)",
          )
        : undefined;
    // a claimed capability the storage command did not verify makes it no pass: undecided, unless
    // something broke (`run --profile` shows the matrix; its guarantees decide its exit code)
    const verdictCode = s.exitCodeOf(counts);
    const gates = setting("profile") === "storage" && (storage?.findings.unverified.length ?? 0) > 0;
    const exitCode = unitFailed > 0 ? 1 : verdictCode === 0 && gates ? 3 : verdictCode;
    const startedAt = new Date(results.startTime).toISOString();
    // when each spec file ran, from the run's start: the benchmark's critical path
    const files = results.testResults.filter(isScenario).map((f) => ({
      file: f.testFilePath.replace(process.cwd() + "/", ""),
      startMs: f.perfStats.start - results.startTime,
      endMs: f.perfStats.end - results.startTime,
    }));
    const { toolInfo } = await tsImport("./tool-info.ts", import.meta.url);
    const { runProperties, runTarget } = await tsImport("./run-properties.ts", import.meta.url);
    const target = runTarget();
    writeFileSync(
      join(this.dir, "summary.json"),
      JSON.stringify(
        {
          // 1: the first versioned layout; a reader refuses what it does not know
          schemaVersion: 1,
          tool: toolInfo(),
          runId: setting("runId"),
          ...(target ? { target } : {}),
          startedAt,
          counts,
          unit,
          exitCode,
          retainedVolumes,
          tests,
          files,
          ...(storage ? { storage: storage.findings } : {}),
        },
        null,
        2,
      ),
    );
    const { readAllureResults, allureKey } = await tsImport("./allure-results.ts", import.meta.url);
    writeFileSync(
      join(this.dir, "junit.xml"),
      s.junit(tests, runProperties(), this.timelines(tests, readAllureResults, allureKey)),
    );
    const text = s.table(tests);
    if (text) process.stdout.write(`\n${text}\n`);
    if (storage) process.stdout.write(`\n${storage.text}\n`);
    if (storage?.findings.unverified.length)
      process.stdout.write(
        `\nclaimed but not verified: ${storage.findings.unverified.join(", ")}: ${
          gates
            ? `the run is not a pass${verdictCode === 0 ? " (exit 3)" : ""}`
            : "'storage --profile' gives the profile's verdict"
        }\n`,
      );
    if (units.length > 0) process.stdout.write(`\nunit tests: ${unit.passed} passed, ${unit.failed} failed\n`);
    if (retainedVolumes.length > 0)
      process.stdout.write(
        `\nleft ${retainedVolumes.length} volume(s) whose reclaim policy is Retain, as their class says: ${retainedVolumes.join(", ")}\n`,
      );
    if (notSelected > 0) process.stdout.write(`\n${notSelected} tests not selected by this run (not counted)\n`);
    process.stdout.write(
      `\nverdicts: ${counts.held} held, ${counts.broken} BROKEN, ${counts.inconclusive} inconclusive, ${counts.skipped} skipped\n`,
    );
    process.stdout.write(
      `sts-conformance: ${counts.held + unit.passed} passed, ${counts.broken + counts.inconclusive + unit.failed} failed, ${counts.skipped} skipped\n`,
    );
  }
}
