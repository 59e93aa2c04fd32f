// The tests the specs declare, read from their source without running them (as a dry run would):
// each test's metadata is a literal object, its describe blocks' titles are literal strings, so
// TypeScript's own parser finds them. `--list`, the run's reporters and the storage matrix read
// the tests from here.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { repoRoot } from "../config/paths.js";
import { HarnessError } from "../errors/harness-error.js";
import { isCapabilityId } from "./capabilities.js";
import { isGuaranteeId } from "./guarantees.js";
import { titleOf, type TestMeta } from "./test-meta.js";

export interface SpecTest {
  /** The spec file, from the repository's root. */
  file: string;
  /** As Jest names it: the describe titles and the test's own, joined by spaces. */
  fullName: string;
  title: string;
  meta: TestMeta;
  /** Whether it runs only under a condition (a `runIf` in its options): it must say what it needs. */
  conditional: boolean;
}

/** The functions that declare a test with its metadata first (the smoke spec's `test` is its own). */
const declarers = new Set(["scenarioTest", "metaTest", "test", "kindOnly"]);
const metaKeys = new Set(["says", "guarantees", "control", "proves", "mode", "about", "variant", "needs"]);

/** A literal: a string, true, or an array of strings; anything else is no metadata. */
function literal(e: ts.Expression, where: string): string | true | string[] {
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
  if (e.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (ts.isArrayLiteralExpression(e))
    return e.elements.map((x) => {
      const v = literal(x, where);
      if (typeof v !== "string") throw new HarnessError(`${where}: a test's metadata lists strings only`);
      return v;
    });
  throw new HarnessError(`${where}: a test's metadata must be literal (strings, true, arrays of strings)`);
}

function parseMeta(o: ts.ObjectLiteralExpression, where: string): TestMeta {
  const meta: Record<string, unknown> = {};
  for (const p of o.properties) {
    if (!ts.isPropertyAssignment(p) || !ts.isIdentifier(p.name) || !metaKeys.has(p.name.text))
      throw new HarnessError(`${where}: ${p.name?.getText() ?? "a spread"} is not part of a test's metadata`);
    meta[p.name.text] = literal(p.initializer, where);
  }
  const m = meta as unknown as TestMeta;
  if (typeof m.says !== "string") throw new HarnessError(`${where}: a test's metadata says what it shows (says)`);
  const unknownIds = [
    ...(m.guarantees ?? []).filter((g) => !isGuaranteeId(g)),
    ...(m.proves ?? []).filter((c) => !isCapabilityId(c)),
  ];
  if (unknownIds.length > 0)
    throw new HarnessError(`${where}: ${unknownIds.join(", ")}: not in the catalogue (harness/catalogue/)`);
  return m;
}

/** The tests of one spec file; its metadata not literal, or naming ids not in the catalogue: one line, exit 2. */
export function specFileTests(path: string): SpecTest[] {
  const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true);
  const file = relative(repoRoot, path);
  const tests: SpecTest[] = [];
  const describes: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
      const [first, second] = node.arguments;
      const where = `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
      const name = node.expression.text;
      if (name === "describe" && first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) {
        describes.push(first.text);
        ts.forEachChild(node, visit);
        describes.pop();
        return;
      }
      if (declarers.has(name) && first && ts.isObjectLiteralExpression(first)) {
        const meta = parseMeta(first, where);
        const title = titleOf(meta);
        const conditional =
          name === "kindOnly" ||
          (second !== undefined &&
            ts.isObjectLiteralExpression(second) &&
            second.properties.some((p) => p.name?.getText() === "runIf"));
        tests.push({ file, fullName: [...describes, title].join(" "), title, meta, conditional });
        return;
      }
      if (declarers.has(name) && first && ts.isStringLiteral(first))
        throw new HarnessError(`${where}: a test declares its metadata, its title is built from it (see test-meta.ts)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return tests;
}

function specFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? specFiles(join(dir, d.name)) : d.name.endsWith(".test.ts") ? [join(dir, d.name)] : [],
  );
}

let read: SpecTest[] | undefined;

/** Every test the specs under suites/ declare, in file order (read once a process). */
export function specTests(): SpecTest[] {
  read ??= specFiles(join(repoRoot, "suites"))
    .sort()
    .flatMap((path) => specFileTests(path));
  return read;
}

let byName: Map<string, TestMeta> | undefined;

/** A test's metadata by its file and full name; undefined for a test no spec declares that way. */
export function metaOf(file: string, fullName: string): TestMeta | undefined {
  byName ??= new Map(specTests().map((t) => [`${t.file}#${t.fullName}`, t.meta]));
  return byName.get(`${file}#${fullName}`);
}
