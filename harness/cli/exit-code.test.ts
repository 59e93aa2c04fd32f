import { describe, expect, test } from "@jest/globals";
import { runExitCode } from "./exit-code.js";

describe("a run's exit code", () => {
  test("the verdicts' when a summary was written", () => {
    expect([0, 1, 3].map((c) => runExitCode(c, 1))).toEqual([0, 1, 3]);
  });

  test("the environment failing under a run (its runner's exit 2) outranks held and inconclusive, not broken", () => {
    expect([0, 1, 3].map((c) => runExitCode(c, 2))).toEqual([2, 1, 2]);
  });

  test("without a summary, a crash of the test runner (its exit 1) is the suite failing (4), never a broken guarantee", () => {
    expect(runExitCode(undefined, 1)).toBe(4);
    expect(runExitCode(undefined, undefined)).toBe(4);
    expect(runExitCode(undefined, 2)).toBe(2); // bad input or environment, said in one line
    expect(runExitCode(undefined, 0)).toBe(0);
  });
});
