// The labels the suite puts on what it makes, the run's id, and the selectors that find them.
import { setting } from "../config/settings.js";

/** Labels on everything the suite creates: cleanup and sweeps select by these, never by name. */
export const Labels = {
  managedBy: "app.kubernetes.io/managed-by",
  run: "sts-conformance.io/run",
  test: "sts-conformance.io/test",
  /** Where a test's namespace is in the run's exclusive gate (see run-gate.ts). */
  activity: "sts-conformance.io/activity",
  /**
   * On what the upgrade mode keeps between its commands (its namespace, its baseline): it belongs
   * to no run, lives through the upgrade, and no run's sweep takes it.
   */
  upgrade: "sts-conformance.io/upgrade",
} as const;

export const managedByValue = "sts-conformance";

/** One id per process: namespaces of this run carry it. */
export const runId = setting("runId") || `${Date.now().toString(36)}-${process.pid}`;

export const managedSelector = `${Labels.managedBy}=${managedByValue}`;

/** The label selector of the namespaces a run created. */
export const runSelector = (run = runId) => `${managedSelector},${Labels.run}=${run}`;

/**
 * The namespace a run owns for its whole length: its heartbeat, the leases its tests take turns
 * by, and the privileged pods its node faults are made by (outside any test's namespace).
 */
export const runNamespace = (run: string) => `sts-run-${run}`;
