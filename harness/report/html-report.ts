// `sts-conformance report` (and a run's --html): the HTML report of the last run in reports/html/.
// index.html is the suite's own summary (the target, guarantees × verdict, every test with why)
// with a page per test holding its timeline picture; allure/index.html is Allure's report of every
// step, attachment and log, one self-contained file. Allure 3 (npm, no Java) with the classic
// plugin: the only one whose analytics can be turned off, as air-gapped labs need.
import { execa } from "execa";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../config/paths.js";
import { HarnessError } from "../errors/harness-error.js";
import { allureKey, readAllureResults } from "./allure-results.js";
import { summaryPage, testPage, testPagePath, type RunSummary } from "./html-pages.js";

export interface HtmlReport {
  index: string;
  allure: string;
  pages: number;
  ms: number;
}

/** Allure's categories: what our verdicts are in its terms (its "broken" is a test that errored). */
const categories = [
  { name: "BROKEN: a guarantee did not hold", matchedStatuses: ["failed"], messageRegex: "(?s)(?!INCONCLUSIVE).*" },
  {
    name: "inconclusive: the suite could not decide",
    matchedStatuses: ["failed", "broken"],
    messageRegex: "(?s).*INCONCLUSIVE.*",
  },
];

export async function writeHtmlReport(reportsDir: string): Promise<HtmlReport> {
  const started = Date.now();
  const summaryFile = join(reportsDir, "summary.json");
  if (!existsSync(summaryFile))
    throw new HarnessError(`no run to report on: ${summaryFile} does not exist (run the suite first)`);
  const run = JSON.parse(readFileSync(summaryFile, "utf8")) as RunSummary;
  const results = join(reportsDir, "allure-results");
  const out = join(reportsDir, "html");
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, "tests"), { recursive: true });

  const attachments = readAllureResults(results);
  run.tests.forEach((t, i) => {
    const shown = (attachments.get(allureKey(t.file, t.name)) ?? []).flatMap((a) => {
      const file = join(results, a.source);
      return existsSync(file) ? [{ name: a.name, type: a.type, content: readFileSync(file, "utf8") }] : [];
    });
    writeFileSync(join(out, testPagePath(i)), testPage(run, i, shown));
  });
  const allure = await allureReport(run, results, join(out, "allure"));
  writeFileSync(join(out, "index.html"), summaryPage(run, "allure/index.html"));
  return { index: join(out, "index.html"), allure, pages: run.tests.length, ms: Date.now() - started };
}

/** Allure's single-file report of the results, with the target as its environment, analytics off. */
async function allureReport(run: RunSummary, results: string, out: string): Promise<string> {
  if (!existsSync(results)) throw new HarnessError(`no Allure results in ${results}: run the suite first`);
  const t = run.target;
  const environment = {
    ...(t
      ? { Kubernetes: t.kubernetesVersion, Nodes: String(t.nodes), StorageClass: t.storageClass, Server: t.server }
      : {}),
    ...(run.tool ? { Suite: `${run.tool.version} (${run.tool.commit})` } : {}),
    ...(run.runId ? { Run: run.runId } : {}),
  };
  writeFileSync(
    join(results, "environment.properties"),
    Object.entries(environment)
      .map(([k, v]) => `${k}=${v.replace(/[\n\r]/g, " ")}\n`)
      .join(""),
  );
  writeFileSync(join(results, "categories.json"), JSON.stringify(categories, null, 2));
  const cli = join(repoRoot, "node_modules", "allure", "cli.js");
  const r = await execa(
    process.execPath,
    [cli, "generate", results, "--config", join(repoRoot, "harness", "report", "allurerc.mjs"), "--output", out],
    { cwd: repoRoot, reject: false, all: true, env: { ALLURE_NO_ANALYTICS: "true", NO_COLOR: "1" } },
  );
  const index = join(out, "index.html");
  if (r.exitCode !== 0 || !existsSync(index))
    throw new HarnessError(`Allure could not write its report: ${(r.all ?? "").trim().split("\n").at(-1) ?? ""}`);
  // the report is opened where nothing may be fetched: it must not ask for anything
  if (readFileSync(index, "utf8").includes("googletagmanager"))
    throw new HarnessError(
      `Allure's report in ${out} loads analytics from the network: its analytics were not turned off`,
    );
  return index;
}
