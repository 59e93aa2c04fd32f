import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { specTests } from "../catalogue/specs.js";
import { repoRoot } from "../config/paths.js";
import { HarnessError } from "../errors/harness-error.js";
import { failedLastTime, jestSelection, listTests, upgradeCheckTests } from "./list.js";

describe("--list reads the specs without running them", () => {
  test("finds checks and negative controls, with their describe titles", () => {
    const names = listTests().map((t) => t.fullName);
    expect(names.some((n) => n.startsWith("G1 G13 G14 ordered creation (OrderedReady) G1 G13:"))).toBe(true);
    expect(names.filter((n) => n.includes("negative control")).length).toBeGreaterThanOrEqual(6);
  });
  test("every test in the specs is listed: each declares its metadata as a literal object", () => {
    const listed = listTests();
    const specs = readdirSync(join(repoRoot, "suites"), { recursive: true, encoding: "utf8" });
    for (const file of specs.filter((f) => f.endsWith(".test.ts")).map((f) => `suites/${f}`)) {
      const source = readFileSync(join(repoRoot, file), "utf8");
      const calls = source.match(/\b(?:test|kindOnly|scenarioTest|metaTest)\(\s*\{/g) ?? [];
      expect({ file, tests: listed.filter((t) => t.file === file).length }).toEqual({ file, tests: calls.length });
    }
  });
  test("a test that runs only under a condition says what it needs, and one that needs nothing has none", () => {
    const mismatched = specTests()
      .filter((t) => t.conditional !== (t.meta.needs ?? []).length > 0)
      .map((t) => t.fullName);
    expect(mismatched).toEqual([]);
  });
  test("focus and skip filter like Jest's --testNamePattern", () => {
    const g25 = listTests("G25", "negative control").map((t) => t.fullName);
    expect(g25.length).toBeGreaterThan(0);
    expect(g25.every((n) => n.includes("G25") && !n.includes("negative control"))).toBe(true);
  });
  test("a guarantee id selects the tests that check it, not the others of its group", () => {
    const g16 = listTests("G16");
    expect(g16.length).toBeGreaterThan(0);
    expect(g16.every((t) => /\bG16\b/.test(t.title))).toBe(true);
    expect(listTests("G15").some((t) => !/\bG16\b/.test(t.title))).toBe(true);
    expect(listTests("G1").every((t) => /\bG1\b/.test(t.title))).toBe(true);
  });
  test("the Jest selection runs exactly the listed tests, in only their files; no match is one clear error", () => {
    const selection = jestSelection("G13", "negative");
    const re = new RegExp(selection?.namePattern ?? "");
    const all = listTests();
    const chosen = all.filter((t) => selection?.files.includes(t.file) && re.test(t.fullName));
    expect(chosen).toEqual(listTests("G13", "negative"));
    expect(jestSelection()).toBeUndefined();
    expect(() => jestSelection("G999")).toThrow(HarnessError);
  });
  test("a selection of whole files needs no name pattern (run: every file but the chaos run's)", () => {
    const run = jestSelection(undefined, undefined, "guarantees");
    expect(run?.namePattern).toBeUndefined();
    expect(run?.files).not.toContain("suites/chaos.test.ts");
    expect(run?.tests).toBe(listTests(undefined, undefined, "guarantees").length);
  });
  test("run proves the guarantees without the chaos run and the upgrade check, each its own command's", () => {
    const run = listTests(undefined, undefined, "guarantees");
    const chaos = listTests(undefined, undefined, "chaos");
    const upgrade = listTests(undefined, undefined, "upgrade");
    expect(chaos.length).toBeGreaterThan(0);
    expect(upgrade.length).toBeGreaterThan(0);
    expect(chaos.every((t) => t.mode === "chaos" && t.title.startsWith("Chaos "))).toBe(true);
    expect(upgrade.every((t) => t.mode === "upgrade" && /^Upgrade[ :]/.test(t.title))).toBe(true);
    expect(run.some((t) => t.mode !== undefined)).toBe(false);
    expect(run.length + chaos.length + upgrade.length).toBe(listTests().length);
  });
  test("upgrade check: every upgrade judgement and its control, then the guarantees' tests the focus picks", () => {
    const all = upgradeCheckTests();
    expect(all.length).toBe(
      listTests(undefined, undefined, "upgrade").length + listTests(undefined, undefined, "guarantees").length,
    );
    const focused = upgradeCheckTests("G26");
    expect(focused.filter((t) => t.mode === "upgrade").length).toBe(listTests(undefined, undefined, "upgrade").length);
    expect(focused.filter((t) => t.mode !== "upgrade").every((t) => t.guarantees.includes("G26"))).toBe(true);
    expect(listTests(undefined, undefined, "storage").some((t) => t.mode === "upgrade")).toBe(false);
  });
});

describe("--rerun-failed", () => {
  test("the last run's BROKEN, MISSED and inconclusive tests of the command's profile; nothing else", () => {
    const [a, b, c, d] = listTests(undefined, undefined, "guarantees");
    const dir = mkdtempSync(join(tmpdir(), "rerun-"));
    const file = join(dir, "summary.json");
    const as = (t: typeof a, verdict: string) => ({ file: t?.file, name: t?.fullName, verdict });
    writeFileSync(
      file,
      JSON.stringify({
        runId: "r1",
        tests: [as(a, "BROKEN"), as(b, "held"), as(c, "inconclusive"), as(d, "skipped")],
      }),
    );
    const again = failedLastTime(file, "guarantees");
    expect(again.tests.map((t) => t.fullName)).toEqual([a?.fullName, c?.fullName]);
    expect(again).toMatchObject({ runId: "r1", verdicts: { [`${a?.file}#${a?.fullName}`]: "BROKEN" } });
    expect(failedLastTime(file, "chaos").tests).toEqual([]);
    expect(() => failedLastTime(join(dir, "none.json"), "guarantees")).toThrow(/no last run to rerun/);
  });
});
