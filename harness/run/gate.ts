// Most scenarios share the cluster with the run's other scenarios; a few change what all of them
// depend on (restart the API server, stop a node) and must run alone. Each test's namespace
// carries its activity in a label: "running" (shared), "exclusive" (wants or has the cluster to
// itself), "waiting", "done". A shared test marks itself running first and then looks for an
// exclusive one; an exclusive test marks itself first and then waits for the running ones to end.
// Each sees the other's mark, so the two never overlap; exclusive tests go one at a time, by a
// lease (lease.ts). A test is "running" from its namespace's creation until the requests that
// delete it are made: any request of its own could meet an API server that is restarting (and
// refusing the suite's user, 403, while it starts).
import type * as k8s from "@kubernetes/client-node";
import { Timeouts } from "../config/timeouts.js";
import type { Kube } from "../kube/client.js";
import { Labels, runSelector } from "../kube/labels.js";
import { createTestNamespace, releaseTestNamespace } from "../kube/namespace.js";
import { withRetry } from "../kube/retry.js";
import { waitFor } from "../kube/watch.js";
import { watchOf } from "../kube/watch-of.js";

export type Activity = "running" | "waiting" | "exclusive" | "done";

const activityOf = (n: k8s.V1Namespace) => n.metadata?.labels?.[Labels.activity];

/** Sets the activity label of a test's namespace ("done" on one already gone: nothing to do). */
export async function markActivity(kube: Kube, namespace: string, activity: Activity): Promise<void> {
  await withRetry(async () => {
    const ns = await kube.core.readNamespace({ name: namespace });
    ns.metadata = { ...ns.metadata, labels: { ...ns.metadata?.labels, [Labels.activity]: activity } };
    await kube.core.replaceNamespace({ name: namespace, body: ns });
  }).catch((e: { code?: number }) => {
    if (!(activity === "done" && e.code === 404)) throw e;
  });
}

/** The run's other test namespaces (not `self`'s) in any of `activities`: what keeps a test at the gate. */
export const blocking = (
  namespaces: k8s.V1Namespace[],
  self: string | undefined,
  activities: Activity[],
): k8s.V1Namespace[] =>
  namespaces.filter((n) => n.metadata?.name !== self && activities.includes(activityOf(n) as Activity));

/** Waits until no other namespace of this run is in any of `activities`. */
async function waitUntilNone(
  kube: Kube,
  namespace: string | undefined,
  activities: Activity[],
  what: string,
): Promise<void> {
  await waitFor(kube, {
    watch: watchOf.runNamespaces(kube, runSelector()),
    what,
    timeoutMs: Timeouts.exclusiveGateMs,
    until: (current) => blocking([...current.values()], namespace, activities).length === 0,
    describe: (current) =>
      [...current.values()]
        .filter((n) => activityOf(n) !== "done")
        .map((n) => `${n.metadata?.name} ${activityOf(n) ?? "(unmarked)"}`)
        .join(", ") || "none",
  });
}

/**
 * Creates a test's namespace at the gate: once no exclusive test of the run is on the cluster, and
 * marked running already, so that an exclusive test starting now waits for this test's first
 * requests too (then enterShared). Returns its name.
 */
export async function createSharedNamespace(kube: Kube, testName: string): Promise<string> {
  await waitUntilNone(kube, undefined, ["exclusive"], "the exclusive test(s) of this run to end");
  return createTestNamespace(kube, testName, { [Labels.activity]: "running" });
}

/**
 * Deletes a test's namespace (releaseTestNamespace), leaving the gate once the deletion's requests
 * are made (`leave`, by default marking it done). Returns the volumes its class retains.
 */
export function releaseSharedNamespace(
  kube: Kube,
  namespace: string,
  leave = () => markActivity(kube, namespace, "done"),
): Promise<string[]> {
  return releaseTestNamespace(kube, namespace, { requestsDone: leave });
}

/** Enters the cluster as one of many: waits while an exclusive test runs. */
export async function enterShared(kube: Kube, namespace: string): Promise<void> {
  for (;;) {
    await markActivity(kube, namespace, "running");
    const all = await kube.core.listNamespace({ labelSelector: runSelector() });
    if (blocking(all.items, namespace, ["exclusive"]).length === 0) return;
    await markActivity(kube, namespace, "waiting");
    await waitUntilNone(kube, namespace, ["exclusive"], "the exclusive test(s) of this run to end");
  }
}

/**
 * Enters the cluster alone: waits for the running tests to end. Exclusive tests take turns by a
 * lease (scenario.alone), so only one of them is ever here.
 */
export async function enterExclusive(kube: Kube, namespace: string): Promise<void> {
  await markActivity(kube, namespace, "exclusive");
  await waitUntilNone(kube, namespace, ["running"], "the other running tests of this run to end");
}
