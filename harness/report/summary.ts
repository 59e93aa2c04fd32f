// What a run found, per test: verdict (three-valued), guarantees, measurements; rendered as the
// terminal table, summary.json and JUnit. Pure functions over Jest's results, unit tested.
import { failureVerdict, type Verdict } from "../verdict/verdict.js";

/** A test as Jest reports it (the fields used here). */
export interface JestTest {
  title: string;
  fullName: string;
  ancestorTitles: string[];
  status: string;
  duration?: number | null;
  failureMessages: string[];
}

export type TestVerdict = Verdict | "skipped" | "flagged" | "MISSED";

export interface TestSummary {
  file: string;
  name: string;
  guarantees: string[];
  negativeControl: boolean;
  verdict: TestVerdict;
  durationMs: number;
  measurements: Record<string, number>;
  /** The first line of the failure: what broke, or why the suite could not decide. */
  failure?: string;
  failureText?: string;
  /** Why it was skipped (a cluster without a feature, disruptive faults not allowed). */
  skipReason?: string;
}

/**
 * A check passes when the guarantee held; a negative control passes when its broken fixture was
 * flagged, and a control that could not be set up or observed is inconclusive, not MISSED.
 */
export function verdictOf(t: Pick<JestTest, "title" | "status" | "failureMessages">): TestVerdict {
  const control = isNegativeControl(t.title);
  if (t.status === "passed") return control ? "flagged" : "held";
  if (t.status !== "failed") return "skipped";
  const v = failureVerdict(t.failureMessages.join("\n"));
  return v === "BROKEN" && control ? "MISSED" : v;
}

/**
 * Whether a run chose a test: Jest reports the tests its --testNamePattern left out (the CLI's
 * --focus and --skip, the chaos command) as skipped, like a test skipped for a reason; they are
 * not part of the run's verdicts. Jest matches the full name, case-insensitively.
 */
export function selectedBy(testNamePattern: string | undefined): (t: Pick<JestTest, "fullName">) => boolean {
  const re = testNamePattern ? new RegExp(testNamePattern, "i") : undefined;
  return (t) => !re || re.test(t.fullName);
}

/** A negative control, by its title: it proves a check can fail on a fixture broken on purpose. */
export const isNegativeControl = (title: string): boolean => /negative control/.test(title);

/** The storage capability a storage test checks, by its title: "Storage expansion: …" checks expansion. */
export function capabilityOf(fullName: string): string | undefined {
  return /(?:^|\s)Storage ([a-z-]+)(?: negative control)?:/.exec(fullName)?.[1];
}

/** The guarantees a test's title names ("G15 G10: …" checks G15 and G10). */
export function guaranteesOf(title: string): string[] {
  return [...new Set(title.match(/\bG\d+\b/g) ?? [])];
}

export function summarize(
  file: string,
  t: JestTest,
  measurements: Record<string, number> = {},
  skipReason?: string,
): TestSummary {
  const text = t.failureMessages.join("\n");
  return {
    file,
    name: t.fullName,
    guarantees: guaranteesOf(t.title),
    negativeControl: isNegativeControl(t.title),
    verdict: verdictOf(t),
    durationMs: t.duration ?? 0,
    measurements,
    ...(text ? { failure: firstLine(text), failureText: text } : {}),
    ...(skipReason && t.status !== "passed" && t.status !== "failed" ? { skipReason } : {}),
  };
}

/**
 * A failure in one line: its first line; for a bare `expect(…)` assertion, whose first line says
 * only which matcher failed, the matcher with what it expected and what it received.
 */
export function firstLine(text: string): string {
  const plain = text.replace(ansi, "");
  const first = (plain.split("\n").find((l) => l.trim()) ?? "").replace(/^\w*Error: /, "");
  if (/^expect\(/.test(first)) {
    const value = (label: string) => new RegExp(`^\\s*${label}[^:\\n]*:\\s*(.*)$`, "m").exec(plain)?.[1]?.trim();
    const [expected, received] = [value("Expected"), value("Received")];
    const matcher = /\)\.((?:not\.)?\w+)\(/.exec(first)?.[1] ?? "expect";
    if (expected !== undefined || received !== undefined)
      return `${matcher}: expected ${expected ?? "?"}, received ${received ?? "?"}`.slice(0, 400);
  }
  return first.slice(0, 400);
}

export interface Counts {
  held: number;
  broken: number;
  inconclusive: number;
  skipped: number;
}

export function count(tests: Pick<TestSummary, "verdict">[]): Counts {
  const c: Counts = { held: 0, broken: 0, inconclusive: 0, skipped: 0 };
  for (const t of tests) {
    if (t.verdict === "held" || t.verdict === "flagged") c.held++;
    else if (t.verdict === "BROKEN" || t.verdict === "MISSED") c.broken++;
    else if (t.verdict === "inconclusive") c.inconclusive++;
    else c.skipped++;
  }
  return c;
}

/** The run's exit code: 1 if anything broke (or a control missed), else 3 if anything was inconclusive. */
export function exitCodeOf(c: Counts): number {
  return c.broken > 0 ? 1 : c.inconclusive > 0 ? 3 : 0;
}

export function table(tests: TestSummary[]): string {
  const rows = tests.map((t) => {
    const m =
      t.skipReason ??
      Object.entries(t.measurements)
        .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}s`)
        .join(", ");
    // A test that names neither a guarantee nor a storage capability checks the suite itself
    // (environment diagnosis, watch expiry).
    const checks = t.guarantees.length > 0 ? t.guarantees.join(" ") : capabilityOf(t.name);
    const kind = checks === undefined ? "suite" : t.negativeControl ? "control" : "check";
    return [checks ?? "-", kind, t.verdict, `${(t.durationMs / 1000).toFixed(1)}s`, m];
  });
  if (rows.length === 0) return "";
  const header = ["checks", "kind", "verdict", "time", "measured"];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...[header, ...rows].map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) =>
    `${r
      .slice(0, 4)
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")}  ${r[4]}`;
  return [header, ...rows].map(line).join("\n");
}

const xml = (s: string) =>
  s.replace(/[<>&"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c] ?? c);
// JUnit readers reject control characters: drop ANSI colours and the rest.
const ansi = new RegExp(String.fromCharCode(27) + "\\[[0-9;]*m", "g");
const control = new RegExp(
  "[" +
    String.fromCharCode(0) +
    "-" +
    String.fromCharCode(8) +
    String.fromCharCode(11, 12) +
    String.fromCharCode(14) +
    "-" +
    String.fromCharCode(31) +
    "]",
  "g",
);
const clean = (s: string) => s.replace(ansi, "").replace(control, "");

/**
 * JUnit: BROKEN (and a MISSED control) is a <failure>, inconclusive an <error type="inconclusive">
 * (the test could not decide), skipped a <skipped>; one <testsuite> per file.
 */
export function junit(tests: TestSummary[]): string {
  const files = [...new Set(tests.map((t) => t.file))];
  const suites = files.map((file) => {
    const ts = tests.filter((t) => t.file === file);
    const c = count(ts);
    const time = ts.reduce((a, t) => a + t.durationMs, 0) / 1000;
    const cases = ts.map((t) => {
      const head = `    <testcase classname="${xml(file)}" name="${xml(t.name)}" time="${(t.durationMs / 1000).toFixed(3)}">`;
      const body = clean(t.failureText ?? "");
      const message = xml(clean(t.failure ?? ""));
      let inner = "";
      if (t.verdict === "BROKEN" || t.verdict === "MISSED")
        inner = `      <failure type="${t.verdict}" message="${message}">${xml(body)}</failure>\n`;
      else if (t.verdict === "inconclusive")
        inner = `      <error type="inconclusive" message="${message}">${xml(body)}</error>\n`;
      else if (t.verdict === "skipped")
        inner = t.skipReason ? `      <skipped message="${xml(t.skipReason)}"/>\n` : "      <skipped/>\n";
      return inner ? `${head}\n${inner}    </testcase>` : `${head}</testcase>`;
    });
    return [
      `  <testsuite name="${xml(file)}" tests="${ts.length}" failures="${c.broken}" errors="${c.inconclusive}" skipped="${c.skipped}" time="${time.toFixed(3)}">`,
      ...cases,
      "  </testsuite>",
    ].join("\n");
  });
  const all = count(tests);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="sts-conformance" tests="${tests.length}" failures="${all.broken}" errors="${all.inconclusive}" skipped="${all.skipped}">`,
    ...suites,
    "</testsuites>",
    "",
  ].join("\n");
}
