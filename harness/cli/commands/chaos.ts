// `chaos`: a seeded chaos run, faults one at a time while a workload writes; --dry-run prints the
// schedule and its targets and touches nothing.
import { readFileSync } from "node:fs";
import { faultKinds } from "../../chaos/catalogue.js";
import { parseChaosFlags } from "../../chaos/options.js";
import { chaosSet, chaosTargets, formatSchedule, makeSchedule } from "../../chaos/schedule.js";
import { kindWorkerNames } from "../../cluster/kind-config.js";
import { paths } from "../../config/paths.js";
import { setting, settingsEnv } from "../../config/settings.js";
import { ExitCode } from "../../errors/harness-error.js";
import { disruptiveAllowed } from "../../run/conditions.js";
import { log, type Command, type RunOptions } from "../command.js";
import { onCluster } from "../flags.js";
import { runTests } from "../jest-run.js";
import { otherCluster } from "../target.js";
import { withHtml } from "./report.js";

/**
 * The chaos command: the input checked (one line, exit 2), the schedule made from the seed; with
 * --dry-run printed with its targets, otherwise run as the suite's chaos test with the flags as
 * its settings (same target, cleanup and exit codes as a run).
 */
async function chaos(o: RunOptions): Promise<number> {
  const kind = !otherCluster(o);
  const plan = parseChaosFlags(o.chaos, { disruptiveAllowed: disruptiveAllowed(kind), onKind: kind });
  const notMade = faultKinds.filter((k) => !plan.faults.includes(k));
  if (o.chaos.faults === undefined && notMade.length > 0)
    log(
      `chaos: not made on this cluster: ${notMade.join(", ")} (${disruptiveAllowed(kind) ? "they need the suite's kind cluster" : "disruptive: STS_ALLOW_DISRUPTIVE=1, or the suite's kind cluster"})`,
    );
  if (!o.dryRun) {
    log(`chaos: seed ${plan.seed}, ${plan.durationMs / 60_000} min, faults ${plan.faults.join(", ")}`);
    return runTests(
      o,
      "chaos",
      settingsEnv({
        chaosDuration: `${plan.durationMs / 1000}s`,
        chaosSeed: String(plan.seed),
        chaosFaults: plan.faults.join(","),
        chaosBudget: o.chaos.budget ?? "",
      }),
    );
  }
  const workers = kind
    ? kindWorkerNames(readFileSync(paths.kindConfig, "utf8"), setting("clusterName"))
    : ["worker #1", "worker #2"];
  const schedule = makeSchedule(
    plan.seed,
    plan.durationMs,
    plan.faults,
    plan.budgets,
    chaosTargets(workers),
    chaosSet.name,
  );
  if (o.json) {
    const targets = { set: chaosSet.name, replicas: chaosSet.replicas, nodes: workers };
    const { seed, faults, budgets } = plan;
    const json = { seed, durationS: plan.durationMs / 1000, faults, budgets, targets, schedule };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return ExitCode.Ok;
  }
  process.stdout.write(
    `seed ${plan.seed}, ${plan.durationMs / 60_000} min, ${schedule.length} faults, one at a time; ` +
      `targets: members ${chaosSet.name}-0..${chaosSet.name}-${chaosSet.replicas - 1}, nodes ${workers.join(", ")}\n` +
      `(each start at the latest: every fault before it given its whole recovery budget; a cluster that ` +
      `recovers faster goes on down the same sequence until the time is up)\n${formatSchedule(schedule)}\n`,
  );
  return ExitCode.Ok;
}

export const chaosCommand: Command = {
  words: "chaos",
  summary: "a seeded chaos run: faults one at a time while a workload writes (--dry-run: the plan)",
  flags: [...onCluster, "duration", "seed", "faults", "budget", "dry-run", "json"],
  settings: [
    "chaosDuration",
    "chaosSeed",
    "chaosFaults",
    "chaosBudget",
    "chaosHoldS",
    "chaosSettleS",
    "chaosHistory",
    "allowDisruptive",
    "nodeFaultsVia",
    "podFaultHoldS",
  ],
  examples: ["sts-conformance chaos --duration 30m --seed 7", "sts-conformance chaos --seed 7 --dry-run --json"],
  run: (o) => withHtml(o, () => chaos(o)),
};
