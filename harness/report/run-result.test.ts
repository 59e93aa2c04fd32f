import { describe, expect, test } from "@jest/globals";
import { titleOf, type TestMeta } from "../catalogue/test-meta.js";
import {
  closingText,
  exitCodeOfRun,
  judged,
  runResult,
  withLeftOut,
  type JestFile,
  type JestRun,
  type MetaLookup,
} from "./run-result.js";
import { junit, type JestTest } from "./summary.js";

/** The tests' metadata by full name, as the specs would declare it. */
const metas = new Map<string, TestMeta>();
const meta: MetaLookup = (_file, fullName) => metas.get(fullName);
const t = (m: TestMeta, status: string, message = "", suite = "S"): JestTest => {
  const title = titleOf(m);
  metas.set(`${suite} ${title}`, m);
  return {
    title,
    fullName: `${suite} ${title}`,
    ancestorTitles: [suite],
    status,
    duration: 1000,
    failureMessages: message ? [message] : [],
  };
};
const g1: TestMeta = { guarantees: ["G1"], says: "x" };
const g1Control: TestMeta = { guarantees: ["G1"], control: true, says: "y" };
const file = (path: string, tests: JestTest[], more: Partial<JestFile> = {}): JestFile => ({
  testFilePath: `/repo/${path}`,
  testResults: tests,
  perfStats: { start: 1, end: 2 },
  ...more,
});
const run = (...files: JestFile[]): JestRun => ({ startTime: 0, testResults: files });
const notes = { measured: new Map(), skipped: new Map(), retained: [] };
const result = (r: JestRun, o: Partial<Parameters<typeof runResult>[2] & Parameters<typeof judged>[2]> = {}) =>
  runResult(r, judged(r, notes, { cwd: "/repo", meta, ...o }), { storageCommand: false, ...o });

describe("the run's exit code", () => {
  test("1 when a guarantee broke or a control missed, 3 when only inconclusive, 0 when all held", () => {
    const held = file("suites/a.test.ts", [t(g1, "passed"), t(g1Control, "passed")]);
    expect(result(run(held)).exitCode).toBe(0);
    const missed = file("suites/b.test.ts", [t(g1Control, "failed", "BROKEN: not flagged")]);
    expect(result(run(held, missed)).tests.map((x) => x.verdict)).toEqual(["held", "flagged", "MISSED"]);
    expect(result(run(held, missed)).exitCode).toBe(1);
    const gap = file("suites/c.test.ts", [t({ guarantees: ["G4"], says: "z" }, "failed", "INCONCLUSIVE: watch gap")]);
    expect(result(run(held, gap)).exitCode).toBe(3);
  });

  test("a failed unit test is 1 whatever the verdicts; units are counted apart", () => {
    const r = result(
      run(file("suites/a.test.ts", [t(g1, "passed")]), file("harness/u.test.ts", [t({ says: "u" }, "failed")])),
    );
    expect(r).toMatchObject({ exitCode: 1, unit: { passed: 0, failed: 1 }, counts: { held: 1 } });
  });

  test("a file that could not run is an inconclusive test of its own", () => {
    const broken = file("suites/d.test.ts", [], { testExecError: { message: "SyntaxError: x" } });
    const r = result(run(broken));
    expect(r.tests).toEqual([
      expect.objectContaining({ name: "suites/d.test.ts (could not run)", verdict: "inconclusive" }),
    ]);
    expect(r.exitCode).toBe(3);
  });

  test("claims the storage command did not verify make a held run no pass (3), never hide a break", () => {
    const storage = { findings: { unverified: ["drain"] }, text: "matrix", junit: { name: "m", cases: [] } };
    const gated = { storageGates: true, nothingDecided: false };
    expect(exitCodeOfRun({ held: 1, broken: 0, inconclusive: 0, skipped: 0 }, 0, gated)).toBe(3);
    expect(exitCodeOfRun({ held: 1, broken: 1, inconclusive: 0, skipped: 0 }, 0, gated)).toBe(1);
    const held = run(file("suites/a.test.ts", [t(g1, "passed")]));
    expect(result(held, { storage, storageCommand: true })).toMatchObject({ exitCode: 3, storageGates: true });
    // run --profile shows the matrix; its guarantees decide
    expect(result(held, { storage, storageCommand: false })).toMatchObject({ exitCode: 0, storageGates: false });
  });
});

describe("--rerun-failed", () => {
  test("a test BROKEN in the previous run that holds on its re-run stays BROKEN; an inconclusive one is decided", () => {
    const broke = t(g1, "passed");
    const undecided = t({ guarantees: ["G4"], says: "z" }, "passed");
    const rerunOf = {
      runId: "r1",
      verdicts: { "suites/a.test.ts#S G1: x": "BROKEN", "suites/a.test.ts#S G4: z": "inconclusive" },
    };
    const r = result(run(file("suites/a.test.ts", [broke, undecided])), { rerunOf });
    expect(r.tests.map((x) => [x.name, x.verdict])).toEqual([
      ["S G1: x", "BROKEN"],
      ["S G4: z", "held"],
    ]);
    expect(r.tests[0]?.failure).toBe(
      "BROKEN in run r1, held on this re-run: a violation seen once stands (run the whole command again to clear it)",
    );
    expect(r.exitCode).toBe(1);
  });
});

describe("a run that decided nothing", () => {
  const skippedCheck = t({ guarantees: ["G23"], says: "paused" }, "pending");
  const notes2 = { ...notes, skipped: new Map([[skippedCheck.title, { reason: "needs the suite's kind cluster" }]]) };
  const decide = (...files: JestFile[]) =>
    runResult(run(...files), judged(run(...files), notes2, { cwd: "/repo", meta }), { storageCommand: false });

  test("every check skipped, even with a control flagged: exit 5, one line with the reasons, a failed JUnit case", () => {
    const r = decide(file("suites/n.test.ts", [skippedCheck, t(g1Control, "passed")]));
    expect(r).toMatchObject({ exitCode: 5, checksDecided: 0 });
    expect(r.nothingDecided).toBe(
      "nothing decided: no check of this run ran (1 skipped, 1 negative control(s) alone): needs the suite's kind cluster",
    );
    expect(closingText(r, [])).toContain(`${r.nothingDecided} (exit 5)`);
    expect(junit(r.tests)).toMatch(/<testcase classname="sts-conformance" name="nothing decided"[^>]*>\s*<failure/);
  });

  test("a break or an undecided check still says so (1, 3); one check held is a decision; units alone are no run of scenarios", () => {
    expect(decide(file("suites/n.test.ts", [skippedCheck, t(g1Control, "failed", "BROKEN: x")])).exitCode).toBe(1);
    expect(decide(file("suites/n.test.ts", [skippedCheck, t(g1, "failed", "INCONCLUSIVE: gap")])).exitCode).toBe(3);
    const one = decide(file("suites/n.test.ts", [skippedCheck, t(g1, "passed")]));
    expect(one).toMatchObject({ exitCode: 0, checksDecided: 1 });
    expect(junit(one.tests)).not.toContain("nothing decided");
    expect(decide(file("harness/u.test.ts", [t({ says: "u" }, "passed")])).exitCode).toBe(0);
  });
});

describe("tests the name pattern left out", () => {
  const f = file("suites/a.test.ts", [t(g1, "passed"), t({ guarantees: ["G2"], says: "y" }, "pending")]);
  const pattern = "^(?:S G1: x)$";

  test("are no verdicts of the run, only counted as not selected", () => {
    const r = result(run(f), { testNamePattern: pattern });
    expect(r.tests.map((x) => x.name)).toEqual(["S G1: x"]);
    expect(r.notSelected).toBe(1);
    expect(closingText(r, [])).toContain("1 tests not selected by this run (not counted)");
  });

  test("with the command's profile, every test of it the run did not choose, in any file, is left out", () => {
    const specs = [
      { file: "suites/a.test.ts", fullName: "S G1: x", meta: { ...g1, proves: ["claims-kept" as const] } },
      {
        file: "suites/set-deletion.test.ts",
        fullName: "S G39: z",
        meta: { guarantees: ["G39" as const], says: "z", proves: ["claims-kept" as const] },
      },
      { file: "suites/c.test.ts", fullName: "S G3: w", meta: { guarantees: ["G3" as const], says: "w" } },
    ];
    const r = result(run(file("suites/a.test.ts", [t(g1, "passed")])));
    const all = withLeftOut(r.tests, run(), { profile: "storage", narrowedBy: "--skip G39", specs });
    expect(all.slice(1)).toEqual([
      expect.objectContaining({
        name: "S G39: z",
        verdict: "skipped",
        leftOut: true,
        skipReason: "left out by this run's --skip G39",
      }),
    ]);
  });

  test("are handed to the storage findings as skipped, with why", () => {
    const r = result(run(f), { testNamePattern: pattern });
    expect(withLeftOut(r.tests, run(f), { testNamePattern: pattern, cwd: "/repo", meta })[1]).toMatchObject({
      name: "S G2: y",
      verdict: "skipped",
      skipReason: "not selected by this run's --focus/--skip",
    });
  });
});

test("the closing text ends with the line CI tools read, storage's matrix and gate after the table", () => {
  const r = result(run(file("suites/a.test.ts", [t(g1, "passed")])), {
    storage: { findings: { unverified: ["drain"] }, text: "MATRIX", junit: { name: "m", cases: [] } },
    storageCommand: true,
  });
  const text = closingText(r, ["pv-1"], {
    findings: { unverified: ["drain"] },
    text: "MATRIX",
    junit: { name: "m", cases: [] },
  });
  expect(text.indexOf("G1")).toBeLessThan(text.indexOf("MATRIX"));
  expect(text).toContain("claimed but not verified: drain: the run is not a pass (exit 3)");
  expect(text).toContain("left 1 volume(s) whose reclaim policy is Retain, as their class says: pv-1");
  expect(text.trimEnd().split("\n").slice(-2)).toEqual([
    "verdicts: 1 held, 0 BROKEN, 0 inconclusive, 0 skipped",
    "sts-conformance: 1 passed, 0 failed, 0 skipped",
  ]);
});
