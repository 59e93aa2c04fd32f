import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { repoRoot } from "../config/paths.js";
import { testNamePattern } from "./options.js";

export interface ListedTest {
  file: string;
  /** As Jest names it: the describe title, a space, the test title. */
  fullName: string;
}

const suitesDir = join(repoRoot, "suites");

function specFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? specFiles(join(dir, d.name)) : d.name.endsWith(".test.ts") ? [join(dir, d.name)] : [],
  );
}

// describe("…"), test("…"), kindOnly("…"), scenarioTest("…", …)
const titled = /\b(describe|test|kindOnly|scenarioTest)\s*\(?\s*"((?:[^"\\]|\\.)*)"/g;

/** The tests the suite would run with this focus/skip, read from the specs without running them. */
export function listTests(focus?: string, skip?: string): ListedTest[] {
  const pattern = testNamePattern(focus, skip);
  const re = pattern ? new RegExp(pattern) : undefined;
  return specFiles(suitesDir)
    .sort()
    .flatMap((path) => {
      const source = readFileSync(path, "utf8");
      let suite = "";
      const tests: ListedTest[] = [];
      for (const m of source.matchAll(titled)) {
        const [kind, title] = [m[1] ?? "", m[2] ?? ""];
        if (kind === "describe") suite = title;
        else tests.push({ file: relative(repoRoot, path), fullName: suite ? `${suite} ${title}` : title });
      }
      return tests;
    })
    .filter((t) => !re || re.test(t.fullName));
}
