// Measurements a test records for the report (recovery times, latencies) and the Retain volumes a
// namespace deletion left.
import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import * as allure from "allure-js-commons";
import { expect } from "@jest/globals";
import { paths } from "../config/paths.js";

/** Notes the volumes a deleted namespace left because their reclaim policy is Retain (listed in the summary). */
export function noteRetainedVolumes(namespace: string, volumes: string[]): void {
  if (volumes.length === 0) return;
  mkdirSync(paths.reportsDir, { recursive: true });
  appendFileSync(join(paths.reportsDir, "retained-volumes.jsonl"), `${JSON.stringify({ namespace, volumes })}\n`);
}

/**
 * Records a measured duration (e.g. a pod's recovery time) for the current test: an Allure
 * parameter, and a line in reports/measurements.jsonl that the summary reporter folds in.
 */
export async function measure(name: string, ms: number): Promise<void> {
  const test = expect.getState().currentTestName ?? "(unknown)";
  mkdirSync(paths.reportsDir, { recursive: true });
  appendFileSync(join(paths.reportsDir, "measurements.jsonl"), `${JSON.stringify({ test, name, ms })}\n`);
  await allure.parameter(name, `${(ms / 1000).toFixed(2)} s`);
}
