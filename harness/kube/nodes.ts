import type * as k8s from "@kubernetes/client-node";

/** A node whose Ready condition is True. */
export const isNodeReady = (n: k8s.V1Node) =>
  (n.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
