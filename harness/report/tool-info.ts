// Which suite made a report: its name and version (package.json) and the commit it ran from, for
// --version, summary.json and the HTML report.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../config/paths.js";

export interface ToolInfo {
  name: string;
  version: string;
  /** The commit of the checkout it ran from ("unknown" outside a git checkout, as in an image). */
  commit: string;
}

export function toolInfo(): ToolInfo {
  const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { name: string; version: string };
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short=12", "HEAD"], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "ignore"],
    })
      .toString()
      .trim();
  } catch {
    // not a checkout: an image records the commit it was built from (harness/images/steps/suite.sh)
    const recorded = join(repoRoot, ".tool-commit");
    if (existsSync(recorded)) commit = readFileSync(recorded, "utf8").trim() || commit;
  }
  return { name: pkg.name, version: pkg.version, commit };
}
