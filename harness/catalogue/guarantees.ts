// Every StatefulSet guarantee the suite knows, by the id the tests are named after (G1..G39, the
// numbering of the project's catalogue of documented guarantees): what it says and its family.
// The docs' guarantee page is generated from this table, and a test may name only these ids.

export type Family = "identity" | "storage" | "ordering" | "parallel" | "replacement" | "updates" | "api";

interface Guarantee {
  says: string;
  family: Family;
}

export const guarantees = {
  G1: { family: "identity", says: "pods are named <set>-<ordinal>, ordinals 0..N-1, no gaps, no extras" },
  G2: {
    family: "identity",
    says: "with spec.ordinals.start = s the ordinals are s..s+N-1; changing it moves the range",
  },
  G3: { family: "identity", says: "a pod's hostname is its name, kept when it is replaced" },
  G4: {
    family: "identity",
    says: "each pod resolves as <pod>.<service>.<ns>.svc.<domain> through the governing headless Service, to its current IP",
  },
  G5: {
    family: "identity",
    says: "the governing Service is the user's: its name resolves to the Ready members, its SRV records name them",
  },
  G6: { family: "identity", says: "each pod is labelled statefulset.kubernetes.io/pod-name=<its name>" },
  G7: { family: "identity", says: "each pod is labelled apps.kubernetes.io/pod-index=<its ordinal>" },
  G8: {
    family: "identity",
    says: "pods are owned by the set: orphans that match are adopted, non-matching ones released",
  },
  G9: {
    family: "storage",
    says: "one claim per template per pod, named <template>-<set>-<ordinal>, bound again (same volume, same data) when the pod is replaced",
  },
  G10: { family: "storage", says: "claims are kept by default through pod deletion, scale-down and set deletion" },
  G11: {
    family: "storage",
    says: "a Delete retention policy (whenScaled, whenDeleted) deletes claims, each only after its pod is gone",
  },
  G12: { family: "storage", says: "a claim deleted under a Pending pod is created again" },
  G13: {
    family: "ordering",
    says: "OrderedReady: pods are created one at a time in ordinal order, each after its predecessors are Running and Ready",
  },
  G14: { family: "ordering", says: "scale-up halts while a pod is not Running and Ready" },
  G15: {
    family: "ordering",
    says: "scale-down goes from the highest ordinal down, each pod after the one above is completely gone",
  },
  G16: { family: "ordering", says: "scale-down halts while the remaining pods are unhealthy" },
  G17: {
    family: "ordering",
    says: "a failed lower ordinal is created again even while a higher one is unready (no deadlock)",
  },
  G18: { family: "ordering", says: "missing and condemned pods are handled before rolling-update deletions" },
  G19: {
    family: "parallel",
    says: "Parallel: pods are created and deleted at once, not waiting for Ready or termination",
  },
  G20: { family: "parallel", says: "Parallel: rolling updates go on past unready pods (documented: scaling only)" },
  G21: {
    family: "replacement",
    says: "a deleted pod is replaced with the same name, claims and hostname, and a new UID",
  },
  G22: { family: "replacement", says: "a Failed (or Succeeded) pod is deleted and created again under its name" },
  G23: {
    family: "replacement",
    says: "at most one pod per identity: no replacement while the old pod exists, even on an unreachable node",
  },
  G24: {
    family: "replacement",
    says: "a node tainted out-of-service has its pods removed, so their replacements start (non-graceful shutdown)",
  },
  G25: {
    family: "replacement",
    says: "an evicted (drained) member returns with its identity, within its PodDisruptionBudget",
  },
  G26: {
    family: "updates",
    says: "RollingUpdate replaces pods from the highest ordinal down, each after the one above is Ready at the new revision",
  },
  G27: { family: "updates", says: "a rollback reuses the earlier ControllerRevision" },
  G28: {
    family: "updates",
    says: "with a partition p only ordinals >= p are updated; those below keep the old revision, even when replaced",
  },
  G29: {
    family: "updates",
    says: "OnDelete: nothing is replaced by itself; a deleted pod returns at the update revision",
  },
  G30: {
    family: "updates",
    says: "a rollout halts at a pod that never becomes Ready; reverting the template and deleting that pod recovers the set",
  },
  G31: { family: "updates", says: "maxUnavailable bounds how many pods a rollout takes down at once" },
  G32: { family: "updates", says: "minReadySeconds: a pod counts as available only after being Ready that long" },
  G33: { family: "updates", says: "revisionHistoryLimit bounds the old ControllerRevisions kept" },
  G34: {
    family: "api",
    says: "the set's status counts its pods (replicas, ready, current, updated, observedGeneration)",
  },
  G35: { family: "api", says: "the /scale subresource reads and changes spec.replicas" },
  G36: { family: "api", says: "the /status subresource reads and writes the status, seen by later reads and watches" },
  G37: { family: "api", says: "sets can be listed, patched and deleted as a collection" },
  G38: {
    family: "api",
    says: "selector, volumeClaimTemplates, serviceName and podManagementPolicy are immutable (422)",
  },
  G39: {
    family: "api",
    says: "deleting the set leaves its governing Service and (by default) its claims; orphaned pods are adopted again",
  },
} satisfies Record<string, Guarantee>;

export type GuaranteeId = keyof typeof guarantees;

/** Whether `id` is a guarantee of the catalogue. */
export const isGuaranteeId = (id: string): id is GuaranteeId => Object.hasOwn(guarantees, id);
