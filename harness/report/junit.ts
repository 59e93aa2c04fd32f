// The one JUnit writer, for every output the suite makes in JUnit (a run's tests, a chaos run's
// faults): escaped and without colour or control characters (readers reject them), the run's
// properties (target, seed, run id) on each suite, and a case's own output (its timeline) in
// <system-out>. A BROKEN guarantee is a <failure>, an undecided one an <error type="inconclusive">.

export interface JUnitOutcome {
  kind: "failure" | "error" | "skipped";
  /** failure: BROKEN or MISSED; error: inconclusive. */
  type?: string;
  message: string;
  body?: string;
}

export interface JUnitCase {
  classname: string;
  name: string;
  seconds: number;
  outcome?: JUnitOutcome;
  /** What the case printed, or what shows it (its timeline). */
  systemOut?: string;
}

export interface JUnitSuite {
  name: string;
  timestamp?: string;
  cases: JUnitCase[];
}

const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");
// every C0 control character but tab, newline and carriage return
const control = new RegExp(
  `[${String.fromCharCode(0)}-${String.fromCharCode(8)}${String.fromCharCode(11, 12)}${String.fromCharCode(14)}-${String.fromCharCode(31)}]`,
  "g",
);

/** Text with no ANSI colours and no control characters. */
export const plainText = (s: string): string => s.replace(ansi, "").replace(control, "");

/** Text as JUnit readers take it: escaped, no ANSI colours, no control characters. */
export const xmlText = (s: string): string =>
  plainText(s).replace(/[<>&"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c] ?? c);

const count = (cases: JUnitCase[], kind: JUnitOutcome["kind"]) => cases.filter((c) => c.outcome?.kind === kind).length;

function junitCase(c: JUnitCase): string {
  const head = `    <testcase classname="${xmlText(c.classname)}" name="${xmlText(c.name)}" time="${c.seconds.toFixed(3)}"`;
  const o = c.outcome;
  const inner = [
    ...(o === undefined
      ? []
      : o.kind === "skipped"
        ? [o.message ? `      <skipped message="${xmlText(o.message)}"/>` : "      <skipped/>"]
        : [
            `      <${o.kind}${o.type ? ` type="${xmlText(o.type)}"` : ""} message="${xmlText(o.message)}">${xmlText(o.body ?? "")}</${o.kind}>`,
          ]),
    ...(c.systemOut ? [`      <system-out>${xmlText(c.systemOut)}</system-out>`] : []),
  ];
  return inner.length === 0 ? `${head}/>` : [`${head}>`, ...inner, "    </testcase>"].join("\n");
}

/** The document: one <testsuite> per suite, each with the run's properties. */
export function junitXml(name: string, suites: JUnitSuite[], properties: Record<string, string> = {}): string {
  const props = Object.entries(properties);
  const propsXml = props.length
    ? [
        "    <properties>",
        ...props.map(([k, v]) => `      <property name="${xmlText(k)}" value="${xmlText(v)}"/>`),
        "    </properties>",
      ]
    : [];
  const all = suites.flatMap((s) => s.cases);
  const totals = (cases: JUnitCase[]) =>
    `tests="${cases.length}" failures="${count(cases, "failure")}" errors="${count(cases, "error")}" skipped="${count(cases, "skipped")}" time="${cases.reduce((a, c) => a + c.seconds, 0).toFixed(3)}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlText(name)}" ${totals(all)}>`,
    ...suites.flatMap((s) => [
      `  <testsuite name="${xmlText(s.name)}" ${totals(s.cases)}${s.timestamp ? ` timestamp="${xmlText(s.timestamp)}"` : ""}>`,
      ...propsXml,
      ...s.cases.map(junitCase),
      "  </testsuite>",
    ]),
    "</testsuites>",
    "",
  ].join("\n");
}
