import { describe, expect, test } from "@jest/globals";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { allureKey, readAllureResults } from "./allure-results.js";

describe("a run's Allure results", () => {
  test("each test's attachments, from the steps allure-jest files them in, by file and full name; a retry's last run", () => {
    const dir = mkdtempSync(join(tmpdir(), "allure-"));
    const result = (uuid: string, start: number, source: string) =>
      writeFileSync(
        join(dir, `${uuid}-result.json`),
        JSON.stringify({
          fullName: "sts-conformance:suites/a.test.ts#G1 ordered G1: in order",
          start,
          attachments: [],
          steps: [
            { name: "arrange", steps: [], attachments: [] },
            { name: "timeline", attachments: [{ name: "timeline", type: "text/plain", source }] },
          ],
        }),
      );
    result("first", 1, "old.txt");
    result("retry", 2, "new.txt");
    writeFileSync(join(dir, "x-attachment.txt"), "not a result");
    const got = readAllureResults(dir).get(allureKey("suites/a.test.ts", "G1 ordered G1: in order"));
    expect(got).toEqual([{ name: "timeline", type: "text/plain", source: "new.txt" }]);
    expect(readAllureResults(join(dir, "none")).size).toBe(0);
  });
});
