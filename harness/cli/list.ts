// What a command runs, read from the specs' metadata without running them: --list, the Jest
// selection for --focus/--skip/--rerun-failed, and the tests of each profile.
import { existsSync, readFileSync } from "node:fs";
import { specTests } from "../catalogue/specs.js";
import { labelsOf, type Need, type TestLabels } from "../catalogue/test-meta.js";
import { HarnessError } from "../errors/harness-error.js";
import type { CapabilityId } from "../catalogue/capabilities.js";
import { inProfile, type Profile } from "../catalogue/profiles.js";

export type { Profile };

/** A test as --list shows it: where it is, its names, and its metadata. */
export interface ListedTest extends TestLabels {
  file: string;
  /** As Jest names it: the describe title, a space, the test title. */
  fullName: string;
  /** The test's own title. */
  title: string;
  /** Its mode's command runs it (chaos, upgrade), never a plain run. */
  mode?: "chaos" | "upgrade";
  /** What it needs of the target, besides a cluster (skipped otherwise, with the reason). */
  needs: Need[];
}

/** A focus that names guarantees ("G16", "G15,G16"): it selects the tests that check them. */
const guaranteeIds = /^G\d+(?:[ ,|]+G\d+)*$/;

function allTests(): ListedTest[] {
  return specTests().map((t) => ({
    file: t.file,
    fullName: t.fullName,
    title: t.title,
    ...labelsOf(t.meta),
    ...(t.meta.mode ? { mode: t.meta.mode } : {}),
    needs: [...(t.meta.needs ?? [])],
  }));
}

/**
 * The tests the suite would run with this focus/skip (within the profile, if given), read from the
 * specs without running them. A focus of guarantee ids selects the tests whose own title names one
 * of them (a group's title names several); any other focus, and skip, are regular expressions over
 * the full name.
 */
export function listTests(focus?: string, skip?: string, profile?: Profile): ListedTest[] {
  const skipRe = skip ? new RegExp(skip) : undefined;
  const ids = focus && guaranteeIds.test(focus) ? focus.split(/[ ,|]+/) : undefined;
  const focusRe = focus && !ids ? new RegExp(focus) : undefined;
  const focused = (t: ListedTest) =>
    ids ? ids.some((id) => t.guarantees.includes(id)) : !focusRe || focusRe.test(t.fullName);
  return allTests().filter(
    (t) =>
      (!profile || inProfile[profile]({ mode: t.mode, proves: t.capabilities as CapabilityId[] })) &&
      focused(t) &&
      !skipRe?.test(t.fullName),
  );
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * What Jest runs for a focus/skip/profile: only the spec files holding the chosen tests (loading
 * the others costs each a worker's time), with a name pattern only when those files hold tests
 * that were not chosen.
 */
export interface JestSelection {
  files: string[];
  namePattern?: string;
  /** How many tests it runs, and how many of the specs' it leaves out. */
  tests: number;
  leftOut: number;
}

/**
 * What `upgrade check` runs: every judgement of the upgrade (and its control), then the guarantees'
 * tests on the upgraded cluster, narrowed by the focus and skip.
 */
export function upgradeCheckTests(focus?: string, skip?: string): ListedTest[] {
  return [...listTests(undefined, undefined, "upgrade"), ...listTests(focus, skip, "guarantees")];
}

/** The Jest selection of exactly the listed tests (undefined: all of them). */
export function jestSelection(focus?: string, skip?: string, profile?: Profile): JestSelection | undefined {
  if (!focus && !skip && !profile) return undefined;
  const tests = listTests(focus, skip, profile);
  if (tests.length === 0) {
    throw new HarnessError(
      `no test${profile ? ` of the ${profile} profile` : ""} matches${focus ? ` --focus "${focus}"` : ""}${skip ? ` with --skip "${skip}"` : ""}; see --list`,
    );
  }
  return selectionOf(tests);
}

/** The Jest selection of these tests. */
export function selectionOf(tests: ListedTest[]): JestSelection {
  const all = listTests();
  const files = [...new Set(tests.map((t) => t.file))];
  const chosen = new Set(tests.map((t) => `${t.file}#${t.fullName}`));
  const others = all.filter((t) => files.includes(t.file) && !chosen.has(`${t.file}#${t.fullName}`));
  return {
    files,
    ...(others.length > 0 ? { namePattern: `^(?:${tests.map((t) => escapeRegExp(t.fullName)).join("|")})$` } : {}),
    tests: tests.length,
    leftOut: all.length - tests.length,
  };
}

/** Jest's arguments for a selection. */
export function jestArgs(selection: JestSelection | undefined): string[] {
  if (!selection) return [];
  return [
    "--testPathPatterns",
    ...selection.files.map((f) => `/${escapeRegExp(f)}$`),
    ...(selection.namePattern ? ["--testNamePattern", selection.namePattern] : []),
  ];
}

/** `--rerun-failed`'s choice: the previous run's id, the tests to run again and their verdicts there (by file#name). */
export interface Rerun {
  runId: string;
  tests: ListedTest[];
  verdicts: Record<string, string>;
}

/**
 * `--rerun-failed`: the tests of the profile that were BROKEN, MISSED or inconclusive in the last
 * run (its summary.json); none, when nothing failed or was undecided there.
 */
export function failedLastTime(summaryFile: string, profile: Profile): Rerun {
  if (!existsSync(summaryFile))
    throw new HarnessError(`--rerun-failed: no last run to rerun (${summaryFile} does not exist)`);
  const last = JSON.parse(readFileSync(summaryFile, "utf8")) as {
    runId?: string;
    tests?: { file: string; name: string; verdict: string }[];
  };
  const verdicts = Object.fromEntries(
    (last.tests ?? [])
      .filter((t) => ["BROKEN", "MISSED", "inconclusive"].includes(t.verdict))
      .map((t) => [`${t.file}#${t.name}`, t.verdict]),
  );
  const tests = listTests(undefined, undefined, profile).filter((t) => `${t.file}#${t.fullName}` in verdicts);
  return { runId: last.runId ?? "?", tests, verdicts };
}
