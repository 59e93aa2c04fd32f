import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { specTests } from "../catalogue/specs.js";
import { upstreamTests, upstreamVersion } from "../catalogue/upstream.js";
import { repoRoot } from "../config/paths.js";
import { generatedPages } from "./docs.js";

const pages = [
  "README.md",
  ...readdirSync(join(repoRoot, "docs"), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];
const read = (file: string) => readFileSync(join(repoRoot, file), "utf8");

/** GitHub's anchor of a heading. */
const slug = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");
const anchorsOf = (file: string) => [...read(file).matchAll(/^#+ (.*)$/gm)].map((m) => slug(m[1] ?? ""));

describe("the manual", () => {
  test("the README fits a screen or two and links every page of docs/", () => {
    const readme = read("README.md");
    expect(readme.split("\n").length).toBeLessThanOrEqual(200);
    const unlinked = pages.filter((p) => p !== "README.md" && !readme.includes(`](${p}`));
    expect(unlinked).toEqual([]);
  });

  test("no relative link is broken: its file exists, and its anchor is a heading there", () => {
    const broken: string[] = [];
    for (const page of pages)
      for (const [, target] of read(page).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (!target || /^[a-z]+:/.test(target)) continue; // http:, mailto:
        const [path, anchor] = target.split("#");
        const file = path ? relative(repoRoot, resolve(dirname(join(repoRoot, page)), path)) : page;
        if (!existsSync(join(repoRoot, file))) broken.push(`${page}: ${target} (no ${file})`);
        else if (anchor && file.endsWith(".md") && !anchorsOf(file).includes(anchor))
          broken.push(`${page}: ${target} (no heading #${anchor} in ${file})`);
      }
    expect(broken).toEqual([]);
  });

  test("the generated pages are what the catalogue and the specs make now (npm run docs)", () => {
    for (const [file, page] of Object.entries(generatedPages))
      expect({ file, same: read(file) === page(specTests()) }).toEqual({ file, same: true });
  });

  test("every file a recipe names exists", () => {
    const recipes = read("docs/developing.md").split("## Recipes")[1] ?? "";
    const paths = [...recipes.matchAll(/`((?:harness|suites|fixtures|docs)\/[^`\s<>…]+)`/g)].map((m) => m[1] ?? "");
    expect(paths.length).toBeGreaterThan(15);
    expect(paths.filter((p) => !existsSync(join(repoRoot, p)))).toEqual([]);
  });
});

// Kubernetes' own source, where a build left it in the Go module cache: the table must name each of its tests.
const upstreamSource = join(
  process.env.STS_CACHE_DIR ?? "/var/cache/sts-conformance",
  `go/mod/k8s.io/kubernetes@${upstreamVersion}/test/e2e/apps/statefulset.go`,
);
const withSource = existsSync(upstreamSource) ? test : test.skip;
withSource(`the upstream table names every test of statefulset.go at ${upstreamVersion}, and no other`, () => {
  const source = readFileSync(upstreamSource, "utf8");
  const its = [...source.matchAll(/\b(?:ginkgo\.It|framework\.ConformanceIt|f\.It)\("((?:[^"\\]|\\.)*)"/g)].map((m) =>
    (m[1] ?? "").replace(/\\"/g, '"'),
  );
  expect(upstreamTests.map((t) => t.it).sort()).toEqual(its.sort());
});
