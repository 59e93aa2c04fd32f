// The conditions a test runs under, decided here and nowhere else: whether the target is the
// suite's own kind cluster, and whether disruptive faults (on nodes, the control plane) may run.
// What the cluster supports (feature gates) is asked of it in suites/support/cluster-features.ts.
import { setting } from "../config/settings.js";

/** When a test runs, and why it is skipped otherwise (in the table and JUnit). */
export interface RunCondition {
  holds: boolean;
  reason: string;
  /** Skipped by design, not for want of the target: another test of this run stands in for it. */
  standIn?: true;
}

/** The kind cluster's name when the target is the kind cluster the suite manages. */
export const kindClusterName = (): string | undefined => setting("kindCluster") || undefined;

/** The target is the suite's kind cluster (its nodes are Docker containers the suite can stop). */
export const onKind = (reason: string): RunCondition => ({ holds: kindClusterName() !== undefined, reason });

/**
 * Whether disruptive faults may run: always on the kind cluster the suite owns, elsewhere on
 * opt-in. The CLI asks before the kind cluster exists, so it may say whether it will be there.
 */
export function disruptiveAllowed(onSuiteKind = kindClusterName() !== undefined): boolean {
  return onSuiteKind || setting("allowDisruptive");
}

/** The run condition of a test with disruptive faults, with the reason it is skipped otherwise. */
export const disruptive = (): RunCondition => ({
  holds: disruptiveAllowed(),
  reason: "disruptive faults run only on the suite's kind cluster or with STS_ALLOW_DISRUPTIVE=1",
});

/**
 * Node faults made by a privileged pod on the node (kubelet-stop, partition; every node fault off
 * kind): disruptive faults allowed, and the pod admitted by the cluster (the preflight's dry run).
 */
export function podFaults(): RunCondition {
  if (!disruptiveAllowed()) return disruptive();
  const refused = setting("privilegedPods");
  return { holds: refused === "", reason: `privileged pods refused: ${refused}` };
}

/**
 * The StorageClass of the suite's kind cluster whose filesystem forgets unsynced writes when its
 * node is cut (harness/images/lazyfs): what makes a killed kind node a power cut.
 */
export const powerLossClass = "lazyfs";

/**
 * A power cut that takes unsynced writes: the kind cluster's lazyfs. Its tests always run on lazyfs,
 * so they prove lazyfs alone: the storage command judging another class (asked for by name, or the
 * default one) does not run them (a run with a profile does, for G9, and credits them to lazyfs
 * alone: storage/findings-report.ts). A class asked for by name also keeps its unsynced writes in
 * the host's page cache when its kind node is killed.
 */
export function powerCutStorage(): RunCondition {
  const asked = setting("storageClass");
  const reason =
    kindClusterName() === undefined
      ? `a power cut that takes unsynced writes needs the suite's kind cluster (its StorageClass ${powerLossClass})`
      : asked !== "" && asked !== powerLossClass
        ? `a power cut of a kind node keeps StorageClass ${asked}'s unsynced writes (the host's page cache): only ${powerLossClass} loses them`
        : `the power-loss tests run on StorageClass ${powerLossClass} and prove it alone, not the class this run judges (the default one): run 'storage --storage-class ${powerLossClass}' for them`;
  const holds =
    kindClusterName() !== undefined && (asked === powerLossClass || (asked === "" && setting("profile") !== "storage"));
  return { holds, reason };
}
