// Node helpers: Ready or not, and the markers faults leave on a Node.
import type * as k8s from "@kubernetes/client-node";

/**
 * Sets (value: the run id) or, with `run` undefined, removes one of the suite's markers on a Node
 * object: what an interrupted run's faults are undone by.
 */
export function setNodeMarker(n: k8s.V1Node, marker: string, run: string | undefined): void {
  const others = Object.entries(n.metadata?.annotations ?? {}).filter(([k]) => k !== marker);
  n.metadata = {
    ...n.metadata,
    annotations: Object.fromEntries(run === undefined ? others : [...others, [marker, run]]),
  };
}

/** A node whose Ready condition is True. */
export const isNodeReady = (n: k8s.V1Node) =>
  (n.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
