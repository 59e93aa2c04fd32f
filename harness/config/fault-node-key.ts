// The key that marks the node reserved for node faults (kind-config.yaml).
/**
 * The label and NoSchedule taint of the node kind-config.yaml reserves for node faults: only the
 * node-loss scenarios tolerate it, so no other test's pods are on a node they stop or pause.
 */
export const faultNodeKey = "sts-conformance.io/fault-node";
