// Why a test was skipped, noted as its file loads and read by the reporters.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { paths } from "../config/paths.js";

/** Why a test was skipped; `standIn`: by design, another test of the run stands in for it. */
export interface SkipNote {
  reason: string;
  standIn?: true;
}

/**
 * Notes why a test is skipped, by its title: a line in reports/skipped.jsonl that the summary
 * reporter folds in (Jest itself keeps no reason for a skip).
 */
export function noteSkipped(title: string, note: SkipNote): void {
  mkdirSync(paths.reportsDir, { recursive: true });
  appendFileSync(join(paths.reportsDir, "skipped.jsonl"), `${JSON.stringify({ title, ...note })}\n`);
}

/** Why tests were skipped, by title, from a run's reports directory (the reporters read it). */
export function readSkipped(reportsDir: string): Map<string, SkipNote> {
  const file = join(reportsDir, "skipped.jsonl");
  if (!existsSync(file)) return new Map();
  const lines = readFileSync(file, "utf8").split("\n").filter(Boolean);
  return new Map(
    lines.map((line) => JSON.parse(line) as SkipNote & { title: string }).map(({ title, ...note }) => [title, note]),
  );
}
