// Recovery budgets: how long the set may take to be whole again after each kind of fault. The
// defaults are the fault catalogue's; a JSON file ({"node-pause": 120, …}, seconds) overrides some.
import { readFileSync } from "node:fs";
import { HarnessError } from "../errors/harness-error.js";
import { faultCatalogue, faultKinds, isFaultKind, type FaultKind } from "./catalogue.js";

export type Budgets = Record<FaultKind, number>;

/** Each kind's default budget (the catalogue's): seconds until the set is whole again after the fault. */
export const defaultBudgets = Object.fromEntries(faultKinds.map((k) => [k, faultCatalogue[k].budgetS])) as Budgets;

/** The defaults, overridden by the file's entries; anything wrong in the file is one line (exit 2). */
export function loadBudgets(file?: string): Budgets {
  if (!file) return { ...defaultBudgets };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new HarnessError(`cannot read the budget file ${file}: ${(e as Error).message.split("\n")[0]}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new HarnessError(`the budget file ${file} must hold a JSON object of fault kind -> seconds`);
  const budgets = { ...defaultBudgets };
  for (const [kind, seconds] of Object.entries(parsed)) {
    if (!isFaultKind(kind))
      throw new HarnessError(
        `the budget file ${file} names an unknown fault "${kind}"; known: ${faultKinds.join(", ")}`,
      );
    if (typeof seconds !== "number" || !(seconds > 0) || seconds > 3600)
      throw new HarnessError(
        `the budget of ${kind} in ${file} must be seconds between 1 and 3600, not ${JSON.stringify(seconds)}`,
      );
    budgets[kind] = seconds;
  }
  return budgets;
}
