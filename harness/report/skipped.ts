import { appendFileSync, mkdirSync } from "node:fs";
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
