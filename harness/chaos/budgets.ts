// Recovery budgets: how long the set may take to be whole again after each kind of fault. The
// defaults live here, in one place; a JSON file ({"node-pause": 120, …}, seconds) overrides some.
import { readFileSync } from "node:fs";
import { HarnessError } from "../errors/harness-error.js";
import { faultKinds, isFaultKind, type FaultKind } from "./faults.js";

export type Budgets = Record<FaultKind, number>;

/**
 * Seconds from the fault's lift (for a member fault, the fault itself) until every member is
 * Running, Ready and acknowledging writes again. Node faults include the node's return. Member
 * faults get a minute: on a 2-core kind cluster a kubelet took 25 s to act on a force-deleted
 * pod's replacement after an API server restart (its watch reconnecting), for a 31 s recovery.
 */
export const defaultBudgets: Budgets = {
  "pod-delete": 60,
  "pod-force-delete": 60,
  "container-kill": 60,
  "node-pause": 120,
  "node-stop": 180,
  "kubelet-stop": 120,
  partition: 120,
  "api-restart": 90,
};

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
