// What a run found, per test: verdict (three-valued), guarantees, measurements; rendered as the
// terminal table, summary.json and JUnit. Pure functions over Jest's results, unit tested.
import { checksOf, type TestLabels } from "../catalogue/test-meta.js";
import { failureVerdict, type Verdict } from "../verdict/verdict.js";
import { junitXml, plainText, type JUnitOutcome, type JUnitSuite } from "./junit.js";
import type { SkipNote } from "./skipped.js";

/** A test as Jest reports it (the fields used here). */
export interface JestTest {
  title: string;
  fullName: string;
  ancestorTitles: string[];
  status: string;
  duration?: number | null;
  /** When it started (epoch ms): Jest sets it for tests that ran. */
  startAt?: number | null;
  failureMessages: string[];
}

export type TestVerdict = Verdict | "skipped" | "flagged" | "MISSED";

/** A test's verdict, its metadata's labels (guarantees, negative control, capabilities, kind), its time and measurements. */
export interface TestSummary extends TestLabels {
  file: string;
  name: string;
  verdict: TestVerdict;
  durationMs: number;
  /** When it started (epoch ms), for tests that ran: the benchmark lays the tests over time by it. */
  startedAt?: number;
  measurements: Record<string, number>;
  /** The first line of the failure: what broke, or why the suite could not decide. */
  failure?: string;
  failureText?: string;
  /** Why it was skipped (a cluster without a feature, disruptive faults not allowed). */
  skipReason?: string;
  /** Skipped by design: another test of the run stands in for it (no hole in a proof). */
  standIn?: true;
  /** Left out by the run's narrowing (--focus, --skip, --rerun-failed): not part of its verdicts. */
  leftOut?: true;
}

/**
 * A check passes when the guarantee held; a negative control passes when its broken fixture was
 * flagged, and a control that could not be set up or observed is inconclusive, not MISSED.
 */
export function verdictOf(t: Pick<JestTest, "status" | "failureMessages">, control: boolean): TestVerdict {
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

/** A test's summary, from Jest's result and the labels of its metadata (catalogue/test-meta.ts). */
export function summarize(
  file: string,
  t: JestTest,
  labels: TestLabels,
  measurements: Record<string, number> = {},
  skipped?: SkipNote,
): TestSummary {
  const text = t.failureMessages.join("\n");
  return {
    file,
    name: t.fullName,
    ...labels,
    verdict: verdictOf(t, labels.negativeControl),
    durationMs: t.duration ?? 0,
    ...(t.startAt ? { startedAt: t.startAt } : {}),
    measurements,
    ...(text ? { failure: firstLine(text), failureText: text } : {}),
    ...(skipped && t.status !== "passed" && t.status !== "failed"
      ? { skipReason: skipped.reason, ...(skipped.standIn ? { standIn: true as const } : {}) }
      : {}),
  };
}

/**
 * A failure in one line: its first line; for a bare `expect(…)` assertion, whose first line says
 * only which matcher failed, the matcher with what it expected and what it received.
 */
export function firstLine(text: string): string {
  const plain = plainText(text);
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

/**
 * The checks (not negative controls) a run decided: held, BROKEN or inconclusive. A run of
 * scenarios with none decides nothing, whatever its controls flagged: it is no pass.
 */
export const checksDecided = (tests: Pick<TestSummary, "verdict" | "negativeControl">[]): number =>
  tests.filter((t) => !t.negativeControl && ["held", "BROKEN", "inconclusive"].includes(t.verdict)).length;

/** The failed case a run that decided nothing adds to its JUnit (Sonobuoy and CI gates show it failed). */
export const nothingDecidedCase = "nothing decided";

/** The one line saying why a run decided nothing: how many tests it skipped, with their reasons. */
export function nothingDecidedLine(tests: Pick<TestSummary, "verdict" | "skipReason" | "negativeControl">[]): string {
  const skipped = tests.filter((t) => t.verdict === "skipped");
  const reasons = [...new Set(skipped.map((t) => t.skipReason ?? "skipped"))];
  const controls = tests.filter((t) => t.negativeControl && t.verdict !== "skipped").length;
  return (
    `nothing decided: no check of this run ran (${skipped.length} skipped${controls ? `, ${controls} negative control(s) alone` : ""})` +
    (reasons.length ? `: ${reasons.join("; ")}` : "")
  );
}

export function table(tests: TestSummary[]): string {
  const rows = tests.map((t) => {
    const m =
      t.skipReason ??
      Object.entries(t.measurements)
        .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}s`)
        .join(", ");
    // a test that checks neither a guarantee nor a storage capability checks the suite itself
    return [checksOf(t) ?? "-", t.kind, t.verdict, `${(t.durationMs / 1000).toFixed(1)}s`, m];
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

/**
 * JUnit (one case per test, one suite per file): BROKEN (and a MISSED control) is a <failure>,
 * inconclusive an <error type="inconclusive">, skipped a <skipped> with its reason; the run's
 * properties on each suite, each test's timeline (by its name) in its <system-out>.
 */
export function junit(
  tests: TestSummary[],
  properties: Record<string, string> = {},
  timelines: Map<string, string> = new Map(),
  more: JUnitSuite[] = [],
): string {
  const outcome = (t: TestSummary): JUnitOutcome | undefined => {
    const message = t.failure ?? "";
    const body = t.failureText ?? "";
    if (t.verdict === "BROKEN" || t.verdict === "MISSED") return { kind: "failure", type: t.verdict, message, body };
    if (t.verdict === "inconclusive") return { kind: "error", type: "inconclusive", message, body };
    if (t.verdict === "skipped") return { kind: "skipped", message: t.skipReason ?? "" };
    return undefined;
  };
  const files = [...new Set(tests.map((t) => t.file))];
  const suites = files.map((file) => ({
    name: file,
    cases: tests
      .filter((t) => t.file === file)
      .map((t) => {
        const o = outcome(t);
        const out = timelines.get(t.name);
        return {
          classname: file,
          name: t.name,
          seconds: t.durationMs / 1000,
          ...(o ? { outcome: o } : {}),
          ...(out ? { systemOut: out } : {}),
        };
      }),
  }));
  if (tests.length > 0 && checksDecided(tests) === 0)
    suites.push({
      name: "sts-conformance",
      cases: [
        {
          classname: "sts-conformance",
          name: nothingDecidedCase,
          seconds: 0,
          outcome: { kind: "failure", type: "nothing decided", message: nothingDecidedLine(tests), body: "" },
        },
      ],
    });
  return junitXml("sts-conformance", [...suites, ...more], properties);
}
