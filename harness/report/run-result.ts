// The run's result, decided in one typed place: each scenario's verdict, the counts, the exit code
// (with the storage gate), summary.json, junit.xml and the lines that end what a person reads.
// The Jest reporter (suites/support/summary-reporter.js) only hands Jest's results to completeRun.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { inProfile, type Profile } from "../catalogue/profiles.js";
import { metaOf, specTests, type SpecTest } from "../catalogue/specs.js";
import { labelsOf, type TestMeta } from "../catalogue/test-meta.js";
import { setting } from "../config/settings.js";
import { allureKey, readAllureResults } from "./allure-results.js";
import type { JUnitSuite } from "./junit.js";
import { runProperties, runTarget } from "./run-properties.js";
import { readSkipped, type SkipNote } from "./skipped.js";
import { ExitCode } from "../errors/harness-error.js";
import {
  checksDecided,
  count,
  exitCodeOf,
  junit,
  nothingDecidedLine,
  selectedBy,
  summarize,
  table,
  type Counts,
  type JestTest,
} from "./summary.js";
import type { TestSummary } from "./summary.js";
import { toolInfo } from "./tool-info.js";

/** A spec file as Jest reports it (the fields used here). */
export interface JestFile {
  testFilePath: string;
  testResults: JestTest[];
  testExecError?: { message: string; stack?: string };
  perfStats: { start: number; end: number };
}

/** Jest's aggregated results (the fields used here). */
export interface JestRun {
  startTime: number;
  testResults: JestFile[];
}

/**
 * What a storage run adds to the result: its findings (summary.json's `storage`, with the claims
 * it did not verify) and its text (printed after the run's table). Made by harness/storage, above
 * this room, and handed in.
 */
export interface StorageOutcome {
  findings: { unverified: string[] };
  text: string;
  /** A JUnit suite of its own: a case per capability (waived and not run ones skipped, with why). */
  junit: JUnitSuite;
}

/** A test's metadata by its spec file and full name (the specs' own, read by catalogue/specs.ts). */
export type MetaLookup = (file: string, fullName: string) => TestMeta | undefined;

/** What the tests wrote beside Jest's results during the run. */
export interface RunNotes {
  /** Measurements, by full test name. */
  measured: Map<string, Record<string, number>>;
  /** Why a test was skipped, by its title. */
  skipped: Map<string, SkipNote>;
  /** Volumes left by namespace deletions because their reclaim policy is Retain. */
  retained: string[];
}

/** A spec of the cluster project; unit tests check the suite itself and are counted apart from the cluster's verdicts. */
const isScenario = (f: JestFile): boolean => f.testFilePath.includes("/suites/");

const relativeTo = (cwd: string, f: JestFile): string => f.testFilePath.replace(`${cwd}/`, "");

/** What failed a file outside its tests: its message, else its stack's first line, never empty. */
const execErrorText = (e: { message: string; stack?: string }): string =>
  e.message.trim() ||
  e.stack
    ?.split("\n")
    .find((l) => l.trim())
    ?.trim() ||
  "the file failed outside its tests, with no message";

/**
 * The run's scenarios as verdicts: those its name pattern chose, and a file that failed to run (an
 * error outside any test) as a test the suite could not run.
 */
export function scenarioVerdicts(
  run: JestRun,
  notes: RunNotes,
  o: { testNamePattern?: string; cwd?: string; meta?: MetaLookup } = {},
): TestSummary[] {
  const chosen = selectedBy(o.testNamePattern);
  const meta = o.meta ?? metaOf;
  return run.testResults.filter(isScenario).flatMap((file) => {
    const path = relativeTo(o.cwd ?? "", file);
    const cases = file.testResults
      .filter(chosen)
      .map((t) =>
        summarize(
          path,
          t,
          labelsOf(meta(path, t.fullName)),
          notes.measured.get(t.fullName),
          notes.skipped.get(t.title),
        ),
      );
    if (file.testExecError)
      cases.push(
        summarize(
          path,
          {
            title: "(file)",
            fullName: `${path} (could not run)`,
            ancestorTitles: [],
            status: "failed",
            failureMessages: [`INCONCLUSIVE: ${execErrorText(file.testExecError)}`],
          },
          labelsOf(undefined),
        ),
      );
    return cases;
  });
}

/** How a run was narrowed, to tell what it left out of its command's whole profile. */
export interface Narrowing {
  testNamePattern?: string;
  cwd?: string;
  meta?: MetaLookup;
  /** The command's profile: with it, what was left out is read from the specs, not from the files Jest loaded. */
  profile?: Profile;
  /** What narrowed it, as its flags say ("--skip G39"). */
  narrowedBy?: string;
  /** The specs' tests (default: read from suites/). */
  specs?: Pick<SpecTest, "file" | "fullName" | "meta">[];
}

/**
 * The run's tests with those its narrowing left out, as skipped (`leftOut`): a storage capability
 * whose proof was partly left out is not held on the rest of it. With the command's profile, every
 * test of it the run did not choose, in whichever file; without it, the unchosen tests of the files
 * Jest loaded.
 */
export function withLeftOut(tests: TestSummary[], run: JestRun, o: Narrowing = {}): TestSummary[] {
  const skipReason = o.narrowedBy
    ? `left out by this run's ${o.narrowedBy}`
    : "not selected by this run's --focus/--skip";
  const leftOut = (t: TestSummary): TestSummary => ({ ...t, verdict: "skipped", skipReason, leftOut: true });
  if (o.profile) {
    const inThis = inProfile[o.profile];
    const ran = new Set(tests.map((t) => `${t.file}#${t.name}`));
    const left = (o.specs ?? specTests())
      .filter((t) => inThis(t.meta) && !ran.has(`${t.file}#${t.fullName}`))
      .map((t) =>
        leftOut({
          file: t.file,
          name: t.fullName,
          ...labelsOf(t.meta),
          verdict: "skipped",
          durationMs: 0,
          measurements: {},
        }),
      );
    return [...tests, ...left];
  }
  const chosen = selectedBy(o.testNamePattern);
  const meta = o.meta ?? metaOf;
  const left = run.testResults.filter(isScenario).flatMap((file) => {
    const path = relativeTo(o.cwd ?? "", file);
    return file.testResults
      .filter((t) => !chosen(t))
      .map((t) => leftOut(summarize(path, t, labelsOf(meta(path, t.fullName)))));
  });
  return [...tests, ...left];
}

/** `--rerun-failed`: the previous run's id and its verdicts of the tests run again, by file#name. */
export interface RerunOf {
  runId: string;
  verdicts: Record<string, string>;
}

/**
 * A re-run's verdicts beside the previous run's: a test BROKEN (or a control MISSED) there stays so
 * when it holds here, since a violation seen once is a violation; an inconclusive one is decided here.
 */
export function afterRerun(tests: TestSummary[], rerun: RerunOf | undefined): TestSummary[] {
  if (!rerun) return tests;
  return tests.map((t) => {
    const before = rerun.verdicts[`${t.file}#${t.name}`];
    if ((before !== "BROKEN" && before !== "MISSED") || (t.verdict !== "held" && t.verdict !== "flagged")) return t;
    const failure = `${before} in run ${rerun.runId}, ${t.verdict} on this re-run: a violation seen once stands (run the whole command again to clear it)`;
    return { ...t, verdict: before, failure, failureText: failure };
  });
}

/**
 * The run's exit code: a unit test that failed is 1; otherwise the verdicts' (1 broken, 3
 * inconclusive, 0 held), except that a run of scenarios that decided no check is no pass (5), nor
 * is a storage run whose claims were not all verified (3).
 */
export function exitCodeOfRun(
  counts: Counts,
  unitFailed: number,
  o: { storageGates: boolean; nothingDecided: boolean },
): number {
  const verdictCode = exitCodeOf(counts);
  if (unitFailed > 0) return ExitCode.GuaranteeBroken;
  if (verdictCode !== ExitCode.Ok) return verdictCode;
  return o.nothingDecided ? ExitCode.NothingDecided : o.storageGates ? ExitCode.Inconclusive : ExitCode.Ok;
}

export interface RunResult {
  tests: TestSummary[];
  counts: Counts;
  unit: { passed: number; failed: number };
  exitCode: number;
  /** Whether claims the storage command did not verify decide the exit code (storage, not run --profile). */
  storageGates: boolean;
  /** Tests the run's name pattern left out (not counted). */
  notSelected: number;
  /** The checks (not controls) that came to a verdict; none in a run of scenarios: nothing decided. */
  checksDecided: number;
  /** Why the run decided nothing, in one line (undefined when it decided something, or ran no scenario). */
  nothingDecided?: string;
}

/** The scenarios' verdicts, a re-run's read beside the previous run's. */
export const judged = (
  run: JestRun,
  notes: RunNotes,
  o: { testNamePattern?: string; cwd?: string; meta?: MetaLookup; rerunOf?: RerunOf },
): TestSummary[] => afterRerun(scenarioVerdicts(run, notes, o), o.rerunOf);

/** The result of a run from Jest's results, its scenarios' verdicts (`judged`) and the storage outcome. */
export function runResult(
  run: JestRun,
  tests: TestSummary[],
  o: { testNamePattern?: string; storage?: StorageOutcome; storageCommand: boolean },
): RunResult {
  const units = run.testResults.filter((f) => !isScenario(f)).flatMap((f) => f.testResults);
  const unitFailed = units.filter((t) => t.status === "failed").length;
  const chosen = selectedBy(o.testNamePattern);
  const notSelected = run.testResults.flatMap((f) => f.testResults).filter((t) => !chosen(t)).length;
  const counts = count(tests);
  const storageGates = o.storageCommand && (o.storage?.findings.unverified.length ?? 0) > 0;
  const decided = checksDecided(tests);
  const nothingDecided = tests.length > 0 && decided === 0 ? nothingDecidedLine(tests) : undefined;
  return {
    tests,
    counts,
    unit: { passed: units.length - unitFailed, failed: unitFailed },
    exitCode: exitCodeOfRun(counts, unitFailed, { storageGates, nothingDecided: nothingDecided !== undefined }),
    storageGates,
    notSelected,
    checksDecided: decided,
    ...(nothingDecided ? { nothingDecided } : {}),
  };
}

/** What ends the run's output: the table, the storage matrix, the counts, and the line CI tools read. */
export function closingText(r: RunResult, retained: string[], storage?: StorageOutcome): string {
  const out: string[] = [];
  const text = table(r.tests);
  if (text) out.push(`\n${text}\n`);
  if (storage) out.push(`\n${storage.text}\n`);
  if (storage?.findings.unverified.length) {
    const passFor = r.storageGates
      ? `the run is not a pass${exitCodeOf(r.counts) === 0 ? " (exit 3)" : ""}`
      : "'storage --profile' gives the profile's verdict";
    out.push(`\nclaimed but not verified: ${storage.findings.unverified.join(", ")}: ${passFor}\n`);
  }
  if (r.unit.passed + r.unit.failed > 0) out.push(`\nunit tests: ${r.unit.passed} passed, ${r.unit.failed} failed\n`);
  if (retained.length > 0)
    out.push(
      `\nleft ${retained.length} volume(s) whose reclaim policy is Retain, as their class says: ${retained.join(", ")}\n`,
    );
  if (r.notSelected > 0) out.push(`\n${r.notSelected} tests not selected by this run (not counted)\n`);
  const c = r.counts;
  out.push(`\nverdicts: ${c.held} held, ${c.broken} BROKEN, ${c.inconclusive} inconclusive, ${c.skipped} skipped\n`);
  if (r.nothingDecided) out.push(`${r.nothingDecided} (exit ${r.exitCode})\n`);
  out.push(
    `sts-conformance: ${c.held + r.unit.passed} passed, ${c.broken + c.inconclusive + r.unit.failed} failed, ${c.skipped} skipped\n`,
  );
  return out.join("");
}

const jsonLines = <T>(file: string): T[] =>
  existsSync(file)
    ? readFileSync(file, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as T)
    : [];

/**
 * What a run leaves in the reports directory, each removed as the next run starts (jest-run.ts), so
 * that nothing of the previous run is ever read or exported as this one's.
 */
export const reportFiles = {
  summary: "summary.json",
  junit: "junit.xml",
  chaosJunit: "chaos-junit.xml",
  chaosProm: "chaos.prom",
  storage: "storage-capabilities.json",
} as const;

/** The files the tests append to during a run (removed as it starts). */
export const runNoteFiles = ["measurements.jsonl", "retained-volumes.jsonl", "skipped.jsonl", "not-offered.jsonl"];

/** What the tests wrote in `dir` during the run. */
export function readRunNotes(dir: string): RunNotes {
  const measured = new Map<string, Record<string, number>>();
  for (const m of jsonLines<{ test: string; name: string; ms: number }>(join(dir, "measurements.jsonl")))
    measured.set(m.test, { ...measured.get(m.test), [m.name]: m.ms });
  const retained = jsonLines<{ volumes: string[] }>(join(dir, "retained-volumes.jsonl")).flatMap((l) => l.volumes);
  return { measured, skipped: readSkipped(dir), retained };
}

/** Each test's timeline (its text attachment), by name, for its JUnit <system-out>. */
function timelines(dir: string, tests: TestSummary[]): Map<string, string> {
  const results = join(dir, "allure-results");
  const attachments = readAllureResults(results);
  const byName = new Map<string, string>();
  for (const t of tests) {
    const a = (attachments.get(allureKey(t.file, t.name)) ?? []).find((x) => x.name === "timeline");
    const file = a && join(results, a.source);
    if (file && existsSync(file)) byName.set(t.name, readFileSync(file, "utf8"));
  }
  return byName;
}

/**
 * At the run's end: its result written to `dir` (summary.json, junit.xml) and its closing text on
 * stdout. `storage` makes the storage findings of the run's tests (with those left out), if any.
 */
export async function completeRun(
  dir: string,
  run: JestRun,
  o: {
    testNamePattern?: string;
    storage: (tests: TestSummary[]) => Promise<StorageOutcome | undefined>;
  },
): Promise<RunResult> {
  const cwd = process.cwd();
  const notes = readRunNotes(dir);
  mkdirSync(dir, { recursive: true });
  const chosen = { ...(o.testNamePattern === undefined ? {} : { testNamePattern: o.testNamePattern }), cwd };
  const rerunOf = setting("rerunOf") ? (JSON.parse(setting("rerunOf")) as RerunOf) : undefined;
  const tests = judged(run, notes, { ...chosen, ...(rerunOf ? { rerunOf } : {}) });
  const profile = setting("profile") || undefined;
  const storage = await o.storage(withLeftOut(tests, run, { ...chosen, profile, narrowedBy: setting("narrowedBy") }));
  const r = runResult(run, tests, {
    ...chosen,
    ...(storage ? { storage } : {}),
    storageCommand: profile === "storage",
  });
  // when each spec file ran, from the run's start: the benchmark's critical path
  const files = run.testResults.filter(isScenario).map((f) => ({
    file: relativeTo(cwd, f),
    startMs: f.perfStats.start - run.startTime,
    endMs: f.perfStats.end - run.startTime,
  }));
  const target = runTarget();
  const summary = {
    // 1: the first versioned layout; a reader refuses what it does not know
    schemaVersion: 1,
    tool: toolInfo(),
    runId: setting("runId"),
    ...(target ? { target } : {}),
    startedAt: new Date(run.startTime).toISOString(),
    counts: r.counts,
    unit: r.unit,
    exitCode: r.exitCode,
    checksDecided: r.checksDecided,
    ...(setting("narrowedBy") ? { narrowedBy: setting("narrowedBy") } : {}),
    ...(rerunOf ? { rerunOf: rerunOf.runId } : {}),
    ...(r.nothingDecided ? { nothingDecided: r.nothingDecided } : {}),
    retainedVolumes: notes.retained,
    tests: r.tests,
    files,
    ...(storage ? { storage: storage.findings } : {}),
  };
  writeFileSync(join(dir, reportFiles.summary), JSON.stringify(summary, null, 2));
  writeFileSync(
    join(dir, reportFiles.junit),
    junit(r.tests, runProperties(), timelines(dir, r.tests), storage ? [storage.junit] : []),
  );
  process.stdout.write(closingText(r, notes.retained, storage));
  return r;
}
