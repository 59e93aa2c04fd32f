// Upstream's StatefulSet e2e tests (kubernetes/kubernetes test/e2e/apps/statefulset.go at the
// Kubernetes the suite's cluster runs), each mapped to the guarantees that cover it here, or
// listed as not covered with why. The docs page docs/upstream-e2e.md is generated from this table
// and the specs' metadata, so a user can see what this suite replaces and what it does not.
import type { GuaranteeId } from "./guarantees.js";

/** The Kubernetes release whose test/e2e/apps/statefulset.go this table follows (the pinned one). */
export const upstreamVersion = "v1.37.2";

export interface UpstreamTest {
  /** Its Describe blocks under "[sig-apps] StatefulSet", then its It, as Ginkgo names it. */
  describe: string;
  it: string;
  /** Part of the Kubernetes conformance suite. */
  conformance?: true;
  /** The guarantees whose tests here cover it. */
  covers?: GuaranteeId[];
  /** What the tests here leave out of it, or why none covers it. */
  gap?: string;
}

const basic = "Basic StatefulSet functionality [StatefulSetBasic]";
const retention = "Non-retain StatefulSetPersistentVolumeClaimPolicy";
const recreate = "StatefulSet Recreate Update Strategy";
const startOrdinal = "Scaling StatefulSetStartOrdinal";
const recreateGate =
  "the Recreate update strategy is behind the alpha StatefulSetRecreateStrategy gate: not yet a guarantee of the catalogue";
const adoptedRetention =
  "retention with claims adopted from an orphaned pod or owned by another controller: not tested here (G11 is tested on the set's own claims)";

export const upstreamTests: UpstreamTest[] = [
  { describe: basic, it: "should provide basic identity", covers: ["G1", "G3", "G9"] },
  {
    describe: basic,
    it: "should adopt matching orphans and release non-matching pods",
    gap: "adoption and release through ownerReferences (G8) are not tested; the persistence test re-adopts the pods of a set deleted with orphan propagation, as a whole",
  },
  { describe: basic, it: "should not deadlock when a pod's predecessor fails", covers: ["G17"] },
  {
    describe: basic,
    it: "should perform rolling updates and roll backs of template modifications with PVCs",
    covers: ["G26", "G30"],
  },
  {
    describe: basic,
    it: "should perform rolling updates and roll backs of template modifications",
    conformance: true,
    covers: ["G26", "G30"],
  },
  {
    describe: basic,
    it: "should perform canary updates and phased rolling updates of template modifications",
    conformance: true,
    covers: ["G28"],
  },
  {
    describe: basic,
    it: "should perform canary updates and phased rolling updates of template modifications for partiton1 and delete pod-0 without failing container",
    covers: ["G28"],
  },
  {
    describe: basic,
    it: "should perform canary updates and phased rolling updates of template modifications for partiton1 and delete pod-0 with failing container",
    covers: ["G28"],
    gap: "the member below the partition is deleted while Ready; a container failing on SIGTERM (the pod ending Failed) is not tried",
  },
  { describe: basic, it: "should perform rolling updates with maxUnavailable", covers: ["G31"] },
  { describe: basic, it: "should implement legacy replacement when the update strategy is OnDelete", covers: ["G29"] },
  {
    describe: basic,
    it: "Scaling should happen in predictable order and halt if any stateful pod is unhealthy",
    conformance: true,
    covers: ["G13", "G14", "G15", "G16"],
  },
  {
    describe: basic,
    it: "Burst scaling should run to completion even with unhealthy pods",
    conformance: true,
    gap: "Parallel sets (G19) are used here only as the broken fixtures of the ordering checks' negative controls; nothing asserts that a burst completes",
  },
  { describe: basic, it: "Should recreate evicted statefulset", conformance: true, covers: ["G22"] },
  { describe: basic, it: "should have a working scale subresource", conformance: true, covers: ["G35"] },
  {
    describe: basic,
    it: "should list, patch and delete a collection of StatefulSets",
    conformance: true,
    gap: "an API-surface test (G37) with no behaviour over time to observe: not repeated here",
  },
  {
    describe: basic,
    it: "should validate Statefulset Status endpoints",
    conformance: true,
    covers: ["G34"],
    gap: "the /status subresource's reads and writes (G36) are not exercised; the status test checks what the controller writes",
  },
  { describe: recreate, it: "should recreate all pods when the update strategy is Recreate", gap: recreateGate },
  {
    describe: recreate,
    it: "should recreate stuck pods with ImagePullBackOff when the update strategy is Recreate",
    gap: recreateGate,
  },
  {
    describe: recreate,
    it: "should preserve Parallel PodManagementPolicy when recreating pods with recreate strategy",
    gap: recreateGate,
  },
  {
    describe: "Deploy clustered applications",
    it: "should creating a working CockroachDB cluster",
    gap: "application-specific; the workload tests' writer (acknowledged, fsynced records on every member) stands for any application's durability",
  },
  { describe: "", it: "MinReadySeconds should be honored when enabled", covers: ["G32"] },
  {
    describe: "",
    it: "AvailableReplicas should get updated accordingly when MinReadySeconds is enabled",
    covers: ["G32"],
    gap: "availableReplicas following a minReadySeconds changed on a live set is not tried",
  },
  { describe: retention, it: "should delete PVCs with a WhenDeleted policy", covers: ["G11"] },
  { describe: retention, it: "should delete PVCs with a OnScaledown policy", covers: ["G11"] },
  {
    describe: retention,
    it: "should not delete PVC with OnScaledown policy if another controller owns the PVC",
    gap: adoptedRetention,
  },
  { describe: retention, it: "should delete PVCs after adopting pod (WhenDeleted)", gap: adoptedRetention },
  { describe: retention, it: "should delete PVCs after adopting pod (WhenScaled)", gap: adoptedRetention },
  { describe: retention, it: "should not delete PVCs when there is another controller", gap: adoptedRetention },
  {
    describe: "Automatically recreate PVC for pending pod when PVC is missing",
    it: "PVC should be recreated when pod is pending due to missing PVC",
    covers: ["G12"],
  },
  { describe: startOrdinal, it: "Setting .start.ordinal", covers: ["G2"] },
  { describe: startOrdinal, it: "Increasing .start.ordinal", covers: ["G2"] },
  { describe: startOrdinal, it: "Decreasing .start.ordinal", covers: ["G2"] },
  {
    describe: startOrdinal,
    it: "Removing .start.ordinal",
    covers: ["G2"],
    gap: "the start is lowered and raised here, never removed",
  },
];

/** Ginkgo's full name of an upstream test. */
export const upstreamName = (t: UpstreamTest): string =>
  ["[sig-apps] StatefulSet", t.describe, t.it].filter(Boolean).join(" ");
