// The conditions a test runs under, decided here and nowhere else: whether the target is the
// suite's own kind cluster, and whether disruptive faults (on nodes, the control plane) may run.
// What the cluster supports (feature gates) is asked of it in suites/support/cluster-features.ts.
import { setting } from "../config/settings.js";

/** When a test runs, and why it is skipped otherwise (in the table and JUnit). */
export interface RunCondition {
  holds: boolean;
  reason: string;
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
 * The StorageClass of the suite's kind cluster whose filesystem forgets unsynced writes when its
 * node is cut (harness/images/lazyfs): what makes a killed kind node a power cut.
 */
export const powerLossClass = "lazyfs";

/**
 * A power cut that takes unsynced writes: the kind cluster's lazyfs, when the run tests kind's own
 * storage. A class asked for by name is not tested by it, and killing a kind node keeps that
 * class's unsynced writes in the host's page cache: no power cut for it.
 */
export const powerCutStorage = (): RunCondition => ({
  holds: kindClusterName() !== undefined && ["", powerLossClass].includes(setting("storageClass")),
  reason:
    kindClusterName() === undefined
      ? `a power cut that takes unsynced writes needs the suite's kind cluster (its StorageClass ${powerLossClass})`
      : `a power cut of a kind node keeps StorageClass ${setting("storageClass")}'s unsynced writes (the host's page cache): only ${powerLossClass} loses them`,
});
