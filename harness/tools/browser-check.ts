// The HTML report of the last run, checked in a real browser (part of `npm test`, after a run with
// --html): headless Chromium opens it from file:// and must show every test of summary.json with
// its verdict, a passing scenario's timeline picture laid out with its lanes, bars and marks, and a
// negative control's with its violation in red; Allure's report must render too. Screenshots of
// each go to reports/screenshots/.
//
//   npx tsx harness/tools/browser-check.ts     exit 0 checked, 1 what the browser showed was wrong,
//                                              2 no report to check or no browser
import { execa } from "execa";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { paths } from "../config/paths.js";
import { testPagePath, type RunSummary } from "../report/html-pages.js";
import { allureKey, readAllureResults } from "../report/allure-results.js";

const say = (line: string) => process.stderr.write(`[browser] ${line}\n`);
function fail(code: 1 | 2, why: string): never {
  process.stderr.write(`browser check: ${why}\n`);
  process.exit(code);
}

const reports = paths.reportsDir;
const html = join(reports, "html");
const shots = join(reports, "screenshots");
const summaryFile = join(reports, "summary.json");
if (!existsSync(join(html, "index.html")) || !existsSync(summaryFile))
  fail(2, `no HTML report in ${html}: run the suite with --html (or 'sts-conformance report') first`);

const setup = await execa("bash", [paths.hostSetup, "browser"], { reject: false, all: true });
if (setup.exitCode !== 0) fail(2, setup.all?.trim().split("\n").at(-1) ?? "chromium could not be installed");

const profile = mkdtempSync(join(tmpdir(), "sts-chromium-"));
/** Chromium headless, isolated and quiet: nothing fetched, nothing kept between runs. */
async function chromium(args: string[], file: string): Promise<string> {
  const r = await execa(
    "chromium",
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      `--user-data-dir=${profile}`,
      "--virtual-time-budget=10000",
      ...args,
      pathToFileURL(file).href,
    ],
    { reject: false, timeout: 120_000 },
  );
  if (r.exitCode !== 0) fail(1, `chromium could not open ${file}: ${r.stderr.split("\n").at(-1) ?? ""}`);
  return r.stdout;
}
const dom = (file: string) => chromium(["--dump-dom"], file);
async function screenshot(file: string, name: string, height: number): Promise<void> {
  mkdirSync(shots, { recursive: true });
  await chromium([`--screenshot=${join(shots, name)}`, `--window-size=1280,${height}`, "--hide-scrollbars"], file);
  say(`screenshot: ${join(shots, name)}`);
}

const decode = (s: string) =>
  s.replace(
    /&(lt|gt|amp|quot|#39);/g,
    (_, e: string) => ({ lt: "<", gt: ">", amp: "&", quot: '"', "#39": "'" })[e] ?? e,
  );
const problems: string[] = [];
const run = JSON.parse(readFileSync(summaryFile, "utf8")) as RunSummary;

try {
  // the summary page: every test, with its verdict
  const index = join(html, "index.html");
  const shown = [
    ...(await dom(index)).matchAll(
      /<tr class="test" data-verdict="([^"]+)">[\s\S]*?<a class="name"[^>]*>([^<]*)<\/a>/g,
    ),
  ].map((m) => ({ verdict: m[1], name: decode(m[2] ?? "") }));
  for (const t of run.tests) {
    const row = shown.find((s) => s.name === t.name);
    if (!row) problems.push(`the summary page does not list "${t.name}"`);
    else if (row.verdict !== t.verdict)
      problems.push(`"${t.name}" shows ${row.verdict}, summary.json says ${t.verdict}`);
  }
  say(`summary page: ${shown.length} tests listed, ${run.tests.length} in summary.json`);
  await screenshot(index, "summary.png", 1400);

  // a passing scenario's picture and a negative control's, as laid out by the browser
  const attachments = readAllureResults(join(reports, "allure-results"));
  const pictured = (i: number) =>
    (attachments.get(allureKey(run.tests[i]?.file ?? "", run.tests[i]?.name ?? "")) ?? []).some(
      (a) => a.name === "timeline picture",
    );
  const candidates = (want: (t: RunSummary["tests"][number]) => boolean) =>
    run.tests.flatMap((t, i) => (want(t) && pictured(i) ? [i] : []));
  type Rendered = Record<"pictures" | "lanes" | "bars" | "marks" | "violations" | "moments", number>;
  /** What the browser laid out of a test page's pictures. */
  const rendered = async (i: number): Promise<Rendered | undefined> => {
    const raw = /data-rendered="([^"]*)"/.exec(await dom(join(html, testPagePath(i))))?.[1];
    return raw === undefined ? undefined : (JSON.parse(decode(raw)) as Rendered);
  };
  const drawn = (i: number, r: Rendered | undefined): r is Rendered => {
    const where = `${testPagePath(i)} (${run.tests[i]?.verdict}: ${run.tests[i]?.name.slice(0, 70)})`;
    if (!r) {
      problems.push(`${where}: its pictures were not laid out (no data-rendered)`);
      return false;
    }
    say(`${where}: ${JSON.stringify(r)}`);
    const missing = (["pictures", "lanes", "bars", "marks"] as const).filter((k) => !(r[k] > 0));
    for (const k of missing) problems.push(`${where}: no ${k} drawn`);
    return missing.length === 0;
  };

  // a held check: lanes, bars and marks, and no violation
  const held = candidates((t) => t.verdict === "held" && t.guarantees.length > 0)[0];
  if (held === undefined) problems.push("no test held with a timeline picture: nothing to look at");
  else {
    const r = await rendered(held);
    if (drawn(held, r) && r.violations > 0) problems.push(`${testPagePath(held)}: a held test drawn with a violation`);
    await screenshot(join(html, testPagePath(held)), "timeline-held.png", 900);
  }
  // a negative control: its violation drawn in red at its moment (the first control whose check
  // reads the timeline; a control of a value read from a pod lists its violation without a moment)
  let control: number | undefined;
  for (const i of candidates((t) => t.verdict === "flagged").slice(0, 30)) {
    const r = await rendered(i);
    if (r && r.moments > 0) {
      control = i;
      drawn(i, r);
      break;
    }
  }
  if (control === undefined) problems.push("no flagged negative control with its violation drawn at its moment");
  else await screenshot(join(html, testPagePath(control)), "timeline-negative-control.png", 900);

  // Allure's report renders from file:// with its data inside
  const allure = join(html, "allure", "index.html");
  const total = /(\d+)\s*<\/div>\s*<div[^>]*>\s*test cases/i.exec(await dom(allure))?.[1];
  if (total === undefined) problems.push("Allure's report did not render its overview (no test count)");
  else say(`Allure's report: ${total} test cases`);
  await screenshot(allure, "allure.png", 900);
} finally {
  rmSync(profile, { recursive: true, force: true });
}

if (problems.length > 0) fail(1, problems.join("; "));
say("the report shows every test with its verdict, and its pictures as drawn");
