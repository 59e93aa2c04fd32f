import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { HarnessError } from "../errors/harness-error.js";
import { specFileTests, specTests } from "./specs.js";
import { titleOf } from "./test-meta.js";

/** The tests a spec with this source declares. */
const read = (source: string) => {
  const path = join(mkdtempSync(join(tmpdir(), "spec-")), "x.test.ts");
  writeFileSync(path, source);
  return specFileTests(path);
};

describe("the specs' tests, read without running them", () => {
  test("a test's metadata, its describe blocks' titles, and its title built from them", () => {
    const [t, control] = read(`
      describe("G26 rolling update", () => {
        scenarioTest({ guarantees: ["G26"], says: "replaced from the top" }, async (s) => {});
        scenarioTest({ guarantees: ["G26"], control: true, needs: ["disruptive"], says: "flags" }, { runIf: x }, f);
      });`);
    expect(t).toMatchObject({
      fullName: "G26 rolling update G26: replaced from the top",
      meta: { guarantees: ["G26"], says: "replaced from the top" },
      conditional: false,
    });
    expect(control).toMatchObject({ title: "G26 negative control: flags", conditional: true });
  });

  test("a title given as a string, metadata that is not literal, or an id not in the catalogue: one line each", () => {
    for (const [source, says] of [
      ['scenarioTest("G1: x", f);', "its title is built from it"],
      ['scenarioTest({ guarantees: ids, says: "x" }, f);', "must be literal"],
      ['scenarioTest({ guarantees: ["G99"], says: "x" }, f);', "G99: not in the catalogue"],
      ['scenarioTest({ proves: ["teleport"], says: "x" }, f);', "teleport: not in the catalogue"],
      ['scenarioTest({ checks: ["G1"], says: "x" }, f);', "checks is not part of a test's metadata"],
      ['scenarioTest({ guarantees: ["G1"] }, f);', "says what it shows"],
    ]) {
      expect(() => read(source ?? "")).toThrow(HarnessError);
      expect(() => read(source ?? "")).toThrow(says);
    }
  });

  test("every spec of the suite reads, and each title is the one its metadata builds", () => {
    const tests = specTests();
    expect(tests.length).toBeGreaterThan(90);
    for (const t of tests) expect(t.title).toBe(titleOf(t.meta));
  });
});
