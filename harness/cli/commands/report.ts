// `report`: the HTML report of the last run; and --html, the same at the end of a run.
import { paths } from "../../config/paths.js";
import { ExitCode } from "../../errors/harness-error.js";
import { writeHtmlReport } from "../../report/html-report.js";
import { log, type Command, type RunOptions } from "../command.js";

/** The HTML report of the last run: its summary page's path on stdout, its time on stderr. */
async function report(): Promise<number> {
  const r = await writeHtmlReport(paths.reportsDir);
  log(`HTML report of ${r.pages} tests written in ${(r.ms / 1000).toFixed(1)} s (Allure's: ${r.allure})`);
  process.stdout.write(`${r.index}\n`);
  return ExitCode.Ok;
}

/** A run's exit code, after its HTML report when asked for (--html); a report that fails is said, the verdict stands. */
export async function withHtml(o: RunOptions, work: () => Promise<number>): Promise<number> {
  const code = await work();
  if (!o.html || o.list || o.dryRun || code === ExitCode.Interrupted) return code;
  await report().catch((e: unknown) => log(`no HTML report: ${e instanceof Error ? e.message : String(e)}`));
  return code;
}

export const reportCommand: Command = {
  words: "report",
  summary: "the HTML report of the last run (reports/html/index.html; Allure's in html/allure/)",
  flags: [],
  settings: ["reportsDir"],
  examples: ["sts-conformance report", "STS_REPORTS_DIR=/tmp/last-night sts-conformance report"],
  run: () => report(),
};
