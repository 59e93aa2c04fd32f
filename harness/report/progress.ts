// Live progress on stderr, also off a TTY (CI): a line per test as it starts and ends, per step of
// a long test, per chaos fault. Results stay on stdout; a person watching sees where the run is.
import { checksOf, type TestLabels } from "../catalogue/test-meta.js";
import type { TestSummary } from "./summary.js";

export const progress = (line: string): void => void process.stderr.write(`[sts] ${line}\n`);

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** A long name cut to what a line can hold. */
export const shortened = (text: string, max = 100): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** What a test checks, for its progress lines: its guarantees, else its storage capabilities, else the suite. */
const checks = (t: Pick<TestLabels, "guarantees" | "capabilities">) => checksOf(t) ?? "suite";

/** `▶ G1 G2  <test's title>`: a test began. */
export function startLine(title: string, labels: Pick<TestLabels, "guarantees" | "capabilities">): string {
  return `▶ ${checks(labels).padEnd(8)} ${shortened(title)}`;
}

/**
 * `[12/85] held  12.3 s  G1  <test's title>`, with why for anything but held: the failure's first
 * line or the skip's reason.
 */
export function endLine(t: TestSummary, title: string, done: number, total: number | undefined): string {
  const why = t.failure ?? t.skipReason;
  const count = `[${done}${total ? `/${total}` : ""}]`;
  const head = `${count} ${t.verdict.padEnd(12)} ${seconds(t.durationMs).padStart(7)}  ${checks(t).padEnd(8)} ${shortened(title)}`;
  return why && t.verdict !== "held" && t.verdict !== "flagged" ? `${head}\n[sts]     ${shortened(why, 300)}` : head;
}

/** `  <test> › <step> (+42 s)`: a step of a test that has been running a while. */
export function stepLine(test: string, step: string, elapsedMs: number): string {
  return `  ${shortened(test, 60)} › ${shortened(step, 120)} (+${Math.round(elapsedMs / 1000)} s)`;
}
