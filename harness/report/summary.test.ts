import { describe, expect, test } from "@jest/globals";
import { labelsOf, titleOf, type TestMeta } from "../catalogue/test-meta.js";
import { count, exitCodeOf, firstLine, junit, selectedBy, summarize, table, verdictOf } from "./summary.js";

const failed = (title: string, message: string) => ({ title, status: "failed", failureMessages: [message] });
const check = labelsOf({ guarantees: ["G1"], says: "t" });

describe("three verdicts", () => {
  test("a violation or a failed expectation is BROKEN; a control that misses is MISSED", () => {
    expect(verdictOf(failed("G13: x", "GuaranteeAssertionError: BROKEN: G13 broken at #3"), false)).toBe("BROKEN");
    expect(verdictOf(failed("G1: x", "Error: expect(received).toEqual(expected)"), false)).toBe("BROKEN");
    expect(verdictOf(failed("G13 negative control: x", "BROKEN: the checker did not flag"), true)).toBe("MISSED");
  });

  test("a timeout, a failed exec, an API error or a suite bug is inconclusive, for checks and controls alike", () => {
    expect(verdictOf(failed("G13: x", "WaitTimeout: INCONCLUSIVE: timed out after 240 s"), false)).toBe("inconclusive");
    expect(verdictOf(failed("G4: x", "HttpError: HTTP-Code: 500"), false)).toBe("inconclusive");
    expect(verdictOf(failed("G4 negative control: x", "TypeError: x is undefined"), true)).toBe("inconclusive");
  });

  test("exit code: 1 when anything broke, else 3 when anything was inconclusive, else 0", () => {
    const t = (status: string, message = "") =>
      summarize("f", { ...failed("G1: t", message), fullName: "t", ancestorTitles: [], status }, check);
    expect(exitCodeOf(count([t("passed"), t("skipped")]))).toBe(0);
    expect(exitCodeOf(count([t("passed"), t("failed", "INCONCLUSIVE: gap")]))).toBe(3);
    expect(exitCodeOf(count([t("failed", "BROKEN: x"), t("failed", "INCONCLUSIVE: gap")]))).toBe(1);
  });

  test("a skipped test carries its reason into the table and JUnit", () => {
    const skipped = summarize(
      "s.ts",
      { ...failed("G31: x", ""), failureMessages: [], fullName: "G31 x", ancestorTitles: [], status: "pending" },
      check,
      {},
      { reason: "the MaxUnavailableStatefulSet gate is off" },
    );
    expect(table([skipped])).toContain("skipped  0.0s  the MaxUnavailableStatefulSet gate is off");
    expect(junit([skipped])).toContain('<skipped message="the MaxUnavailableStatefulSet gate is off"/>');
  });

  test("a test the run's name pattern left out is not one of its verdicts; a reasoned skip is", () => {
    const selected = selectedBy("^(?:Chaos G9 G23: seeded faults)$");
    expect(selected({ fullName: "Chaos G9 G23: seeded faults" })).toBe(true);
    expect(selected({ fullName: "chaos g9 g23: SEEDED faults" })).toBe(true); // as Jest: case-insensitive
    expect(selected({ fullName: "G31 maxUnavailable 2" })).toBe(false);
    expect(selectedBy(undefined)({ fullName: "G31 maxUnavailable 2" })).toBe(true);
  });

  test("JUnit: BROKEN is a failure, inconclusive an error, escaped and without colour codes", () => {
    const xml = junit([
      summarize(
        "s.ts",
        { ...failed("G1: a", "BROKEN: <a> & \u001b[31mred\u001b[39m"), fullName: "a", ancestorTitles: [] },
        check,
      ),
      summarize("s.ts", { ...failed("G2: b", "INCONCLUSIVE: slow"), fullName: "b", ancestorTitles: [] }, check),
    ]);
    expect(xml).toContain('<failure type="BROKEN" message="BROKEN: &lt;a&gt; &amp; red">');
    expect(xml).toContain('<error type="inconclusive" message="INCONCLUSIVE: slow">');
    expect(xml).toContain('tests="2" failures="1" errors="1" skipped="0"');
  });
});

describe("the terminal table", () => {
  test("lists every test: checks and controls by guarantee, the suite's self-tests as suite", () => {
    const t = (meta: TestMeta) =>
      summarize(
        "suites/x.test.ts",
        { title: titleOf(meta), fullName: titleOf(meta), ancestorTitles: [], status: "passed", failureMessages: [] },
        labelsOf(meta),
      );
    const text = table([
      t({ guarantees: ["G13"], says: "ordered" }),
      t({ guarantees: ["G13"], control: true, says: "Parallel" }),
      t({ about: "Environment", says: "DNS down" }),
      t({ proves: ["expansion"], says: "grown" }),
      t({ proves: ["fs-group"], control: true, says: "no fsGroup" }),
    ]);
    expect(text.split("\n").map((l) => l.split(/\s+/).slice(0, 3).join(" "))).toEqual([
      "checks kind verdict",
      "G13 check held",
      "G13 control flagged",
      "- suite held",
      "expansion check held",
      "fs-group control flagged",
    ]);
  });
});

describe("a failure in one line", () => {
  test("a bare expect(...) says its matcher, what it expected and what it received, not the diff's header", () => {
    const esc = String.fromCharCode(27);
    const text = `Error: ${esc}[2mexpect(${esc}[22mreceived${esc}[2m).${esc}[22mtoBe${esc}[2m(${esc}[22mexpected${esc}[2m) // Object.is equality${esc}[22m\n\nExpected: ${esc}[32m3${esc}[39m\nReceived: ${esc}[31m2${esc}[39m\n    at Object.<anonymous> (suites/x.test.ts:10:5)`;
    expect(firstLine(text)).toBe("toBe: expected 3, received 2");
    expect(
      firstLine(
        'Error: expect(received).not.toContain(expected)\n\nExpected substring: not "a"\nReceived string:        "abc"',
      ),
    ).toBe('not.toContain: expected not "a", received "abc"');
  });

  test("any other failure is its first line", () => {
    expect(firstLine("Error: G2 broken at #3 for web-0: expected …\n\ntimeline")).toBe(
      "G2 broken at #3 for web-0: expected …",
    );
  });
});
