// A chaos run in JUnit: one case per fault, failed when it did not hold, an error when it could not
// be decided, skipped with why; the seed among the suite's properties.
import { verdictOf, type IterationResult, type RunResult } from "../chaos/results.js";
import { junitXml, type JUnitCase, type JUnitOutcome } from "./junit.js";

function outcome(i: IterationResult): JUnitOutcome | undefined {
  switch (verdictOf(i)) {
    case "inconclusive":
      return { kind: "error", type: "inconclusive", message: `inconclusive: ${i.error ?? i.undecided ?? ""}` };
    case "skipped":
      return { kind: "skipped", message: i.skipped ?? "" };
    case "failed":
      return { kind: "failure", message: i.problems[0]?.text ?? "", body: i.problems.map((p) => p.text).join("\n") };
    case "held":
      return undefined;
  }
}

const s = (ms: number) => (ms / 1000).toFixed(1);

export function chaosJUnit(r: RunResult, properties: Record<string, string> = {}): string {
  const cases = r.iterations.map((i): JUnitCase => {
    const o = outcome(i);
    const name =
      i.error !== undefined
        ? `#${i.iteration} ${i.fault} ${i.target}: not finished (budget ${s(i.budgetMs)} s)`
        : `#${i.iteration} ${i.fault} ${i.target}: recovered in ${s(i.recoveryMs)} s (budget ${s(i.budgetMs)} s)`;
    const seconds = Number.isNaN(i.recoveryMs) ? 0 : i.recoveryMs / 1000;
    return { classname: `chaos.${i.fault}`, name, seconds, ...(o ? { outcome: o } : {}) };
  });
  return junitXml("sts-conformance chaos", [{ name: `chaos seed ${r.seed}`, timestamp: r.startedAt, cases }], {
    seed: String(r.seed),
    ...properties,
  });
}
