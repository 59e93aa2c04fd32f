// Why a test was skipped, noted as its file loads and read by the reporters.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { paths } from "../config/paths.js";

/**
 * Notes why a test is skipped, by its title: a line in reports/skipped.jsonl that the summary
 * reporter folds in (Jest itself keeps no reason for a skip).
 */
export function noteSkipped(title: string, reason: string): void {
  mkdirSync(paths.reportsDir, { recursive: true });
  appendFileSync(join(paths.reportsDir, "skipped.jsonl"), `${JSON.stringify({ title, reason })}\n`);
}

/** Why tests were skipped, by title, from a run's reports directory (the reporters read it). */
export function readSkipped(reportsDir: string): Map<string, string> {
  const file = join(reportsDir, "skipped.jsonl");
  if (!existsSync(file)) return new Map();
  const lines = readFileSync(file, "utf8").split("\n").filter(Boolean);
  return new Map(
    lines.map((line) => JSON.parse(line) as { title: string; reason: string }).map((r) => [r.title, r.reason]),
  );
}
