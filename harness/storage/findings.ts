// What a storage test tells the report besides its verdict: each latency sample of an operation,
// and a capability the class refused when tried (its answer kept). Lines in reports/ that the
// summary reporter folds into the matrix and the latency table.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { paths } from "../config/paths.js";
import type { NotOffered } from "./matrix.js";
import type { LatencyOperation } from "./profile.js";

const notOfferedFile = "not-offered.jsonl";
const latencyPrefix = "latency:";
/** A latency sample is a measurement of this name (the tests record it with measure()). */
export const latencyName = (operation: LatencyOperation): string => `${latencyPrefix}${operation}`;

/** Records a capability the class refused when the run tried it, with its answer. */
export function noteNotOffered(capability: string, why: string): void {
  mkdirSync(paths.reportsDir, { recursive: true });
  appendFileSync(join(paths.reportsDir, notOfferedFile), `${JSON.stringify({ capability, why })}\n`);
}

const lines = (file: string): unknown[] =>
  existsSync(file)
    ? readFileSync(file, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as unknown)
    : [];

/** This run's refusals. */
export const readNotOffered = (dir: string): NotOffered[] => lines(join(dir, notOfferedFile)) as NotOffered[];

/** This run's latency samples, from every test's measurements. */
export function readLatencies(dir: string): { operation: LatencyOperation; ms: number }[] {
  return (lines(join(dir, "measurements.jsonl")) as { name: string; ms: number }[])
    .filter((m) => m.name.startsWith(latencyPrefix))
    .map((m) => ({ operation: m.name.slice(latencyPrefix.length) as LatencyOperation, ms: m.ms }));
}
