import { describe, expect, test } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { repoRoot } from "../config/paths.js";

/** The import lint over a tree of these files (path → source), as `npm run lint` runs it. */
function lint(files: Record<string, string>): { status: number | null; out: string } {
  const root = mkdtempSync(join(tmpdir(), "import-rules-"));
  try {
    for (const [path, source] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), source);
    }
    const r = spawnSync("node", [join(repoRoot, "harness/tools/import-rules.mjs"), "--root", root], {
      encoding: "utf8",
    });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const storage = { "harness/storage/findings.ts": "export const x = 1;\n" };

describe("the import lint sees every kind of import", () => {
  test("a tsImport() up a floor (a Jest plugin in plain JavaScript) fails it", () => {
    const r = lint({
      ...storage,
      "harness/report/reporter.js": 'const f = await tsImport("../storage/findings.ts", import.meta.url);\n',
    });
    expect(r.status).toBe(1);
    expect(r.out).toContain("import up a floor: harness/report/reporter.js -> harness/storage/findings.ts");
  });

  test("a dynamic import() up a floor fails it", () => {
    const r = lint({ ...storage, "harness/report/summary.ts": 'const f = await import("../storage/findings.js");\n' });
    expect(r.status).toBe(1);
    expect(r.out).toContain("harness/report/summary.ts -> harness/storage/findings.ts");
  });

  test("a static import up a floor and a cycle fail it; imports down pass", () => {
    expect(lint({ ...storage, "harness/report/a.ts": 'import { x } from "../storage/findings.js";\n' }).status).toBe(1);
    const cycle = lint({
      "harness/report/a.ts": 'import { b } from "./b.js";\nexport const a = b;\n',
      "harness/report/b.ts": 'import { a } from "./a.js";\nexport const b = a;\n',
    });
    expect(cycle.out).toContain("import cycle: harness/report/a.ts -> harness/report/b.ts -> harness/report/a.ts");
    const down = lint({
      ...storage,
      "suites/support/reporter.js": 'await tsImport("../../harness/storage/findings.ts", import.meta.url);\n',
    });
    expect(down).toEqual({ status: 0, out: expect.stringContaining("no cycle, no arrow up") });
  });
});
