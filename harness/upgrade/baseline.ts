// What `upgrade prepare` records before an upgrade, and `upgrade check` compares against after it:
// kept as JSON in a ConfigMap of the upgrade's namespace and in a local file (upgrade.ts).
import { HarnessError } from "../errors/harness-error.js";

export interface MemberBaseline {
  pod: string;
  uid: string;
  node: string;
  ip: string;
  claim: string;
  /** The PersistentVolume bound to the claim, and what identifies its storage (CSI volume handle, local or host path). */
  volume: string;
  volumeHandle: string;
  /** sha256 of the member's baseline file, written and fsynced by prepare. */
  checksum: string;
  /** What the member's DNS name answered (its own address). */
  dns: string[];
}

export interface SetBaseline {
  name: string;
  podManagementPolicy: "OrderedReady" | "Parallel";
  replicas: number;
  /** The set's PodDisruptionBudget. */
  maxUnavailable: number;
  currentRevision: string;
  updateRevision: string;
  members: MemberBaseline[];
}

/** Node name → kubelet version. */
export type NodeVersions = Record<string, string>;

export interface Baseline {
  schema: 1;
  namespace: string;
  /** kube-system's UID: a baseline is only ever compared with the cluster it was taken on. */
  clusterUid: string;
  serverVersion: string;
  preparedAt: string;
  /** Every node and its kubelet's version when the baseline was taken: the recording must start there. */
  nodes: NodeVersions;
  /** The writer pod (a DaemonSet's) whose log holds the acknowledgements. */
  writer: string;
  /** The node it runs on (one without members when there was one). */
  writerNode: string;
  sets: SetBaseline[];
}

/** Parses a baseline read back from the ConfigMap or the file; one line naming what is wrong. */
export function parseBaseline(text: string, where: string): Baseline {
  let b: Partial<Baseline>;
  try {
    b = JSON.parse(text) as Partial<Baseline>;
  } catch (e) {
    throw new HarnessError(
      `the upgrade baseline in ${where} is not JSON (${(e as Error).message}): run 'upgrade prepare' again`,
    );
  }
  if (b.schema !== 1 || !b.clusterUid || !b.namespace || !Array.isArray(b.sets) || !b.writer || !b.nodes)
    throw new HarnessError(
      `the upgrade baseline in ${where} is not one 'upgrade prepare' of this version wrote: run it again`,
    );
  return b as Baseline;
}

/** A baseline taken on another cluster (or a cluster rebuilt since) is refused, in one line. */
export function assertSameCluster(b: Baseline, clusterUid: string, where: string): void {
  if (b.clusterUid !== clusterUid)
    throw new HarnessError(
      `the upgrade baseline in ${where} was taken on another cluster (kube-system ${b.clusterUid}, this one is ${clusterUid}): check the kubeconfig, or run 'upgrade prepare' on this cluster`,
    );
}

export const members = (b: Baseline): MemberBaseline[] => b.sets.flatMap((s) => s.members);
