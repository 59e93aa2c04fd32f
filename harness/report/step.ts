import * as allure from "allure-js-commons";

/**
 * One narrative step of a spec (arrange, act, observe, assert), like upstream e2e's By(...):
 * it becomes an Allure step, so a failure shows the step it happened in.
 */
export async function step<T>(name: string, body: () => Promise<T>): Promise<T> {
  return allure.step(name, body);
}

/** Attaches text (a timeline, logs, an object dump) to the current test's report. */
export async function attach(name: string, content: string, type = "text/plain"): Promise<void> {
  await allure.attachment(name, content, type);
}
