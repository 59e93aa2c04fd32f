// Reading a run's Allure results (reports/allure-results): per test, what it attached (timeline,
// its picture, violations, logs, dumps), found by the test's file and full name.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface Attachment {
  name: string;
  type: string;
  /** The file in the results directory holding it. */
  source: string;
}

interface Step {
  name?: string;
  attachments?: Attachment[];
  steps?: Step[];
}

interface AllureResult extends Step {
  fullName?: string;
  start?: number;
}

/** A test's key as allure-jest writes it: `<package>:<file>#<Jest full name>`. */
export const allureKey = (file: string, name: string): string => `${file}#${name}`;

/** Every attachment of a result, in order: allure-jest files each one as a step of its own. */
export function attachmentsOf(r: Step): Attachment[] {
  return [...(r.attachments ?? []), ...(r.steps ?? []).flatMap(attachmentsOf)];
}

/**
 * Each test's attachments by `<file>#<full name>`. A test run twice (a retry) keeps its last run's.
 */
export function readAllureResults(dir: string): Map<string, Attachment[]> {
  const byTest = new Map<string, { start: number; attachments: Attachment[] }>();
  if (!existsSync(dir)) return new Map();
  for (const f of readdirSync(dir).filter((n) => n.endsWith("-result.json"))) {
    const r = JSON.parse(readFileSync(join(dir, f), "utf8")) as AllureResult;
    const key = r.fullName?.replace(/^[^:]*:/, "");
    if (!key) continue;
    const start = r.start ?? 0;
    if ((byTest.get(key)?.start ?? -1) > start) continue;
    byTest.set(key, { start, attachments: attachmentsOf(r) });
  }
  return new Map([...byTest].map(([k, v]) => [k, v.attachments]));
}
