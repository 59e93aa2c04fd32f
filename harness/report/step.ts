// A test's steps and attachments in the report (Allure), and its labels from its metadata.
import * as allure from "allure-js-commons";
import { expect } from "@jest/globals";
import { Timeouts } from "../config/timeouts.js";
import { progress, stepLine } from "./progress.js";
import type { TestMeta } from "../catalogue/test-meta.js";

/** When this worker's current test began (jest-setup marks it): a long one's steps get progress lines. */
let testBegan = Date.now();
export const testBegins = (): void => void (testBegan = Date.now());

/**
 * One narrative step of a spec (arrange, act, observe, assert), like upstream e2e's By(...):
 * it becomes an Allure step, so a failure shows the step it happened in; in a test running a
 * while already, a progress line too.
 */
export async function step<T>(name: string, body: () => Promise<T>): Promise<T> {
  const elapsed = Date.now() - testBegan;
  if (elapsed >= Timeouts.progressStepsAfterMs)
    progress(stepLine(expect.getState().currentTestName ?? "(test)", name, elapsed));
  return allure.step(name, body);
}

/** Attaches text (a timeline, logs, an object dump) to the current test's report. */
export async function attach(name: string, content: string, type = "text/plain"): Promise<void> {
  await allure.attachment(name, content, type);
}

/**
 * Labels the current test in the report by what it checks: each guarantee id as a tag and a
 * feature (Allure's Behaviors view groups by it), a storage capability as a feature, a negative
 * control as such.
 */
export async function labelTest(meta: TestMeta): Promise<void> {
  const checks = [...(meta.guarantees ?? []), ...(meta.proves ?? [])];
  await allure.tags(...checks, ...(meta.control ? ["negative control"] : []));
  for (const c of checks) await allure.feature(c);
}
