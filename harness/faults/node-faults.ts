// Node loss without losing the node, made on the path that reaches it: a kind node's container (the
// Docker API), or a privileged pod on any node; each marked on its Node first, so an interrupted
// run is undone from the marker, and each undo verified.
import { faultCatalogue, faultEntry, scopeOf, type FaultKind, type PodFaultMode } from "../chaos/catalogue.js";
import { KindNode } from "../cluster/kind-node.js";
import {
  nodeChangesByPod,
  podFaultState,
  podFaultUndone,
  restoreNodeByPod,
  startPodFault,
  type PodFault,
} from "../cluster/node-pod.js";
import { setting } from "../config/settings.js";
import { Timeouts } from "../config/timeouts.js";
import type { Kube } from "../kube/client.js";
import { HarnessError } from "../errors/harness-error.js";
import { runId } from "../kube/labels.js";
import { isNodeReady, setNodeMarker } from "../kube/nodes.js";
import { withRetry } from "../kube/retry.js";
import { WaitTimeout, waitFor } from "../kube/watch.js";
import { watchOf } from "../kube/watch-of.js";
import { Inconclusive } from "../verdict/verdict.js";
import type { Fault, NodeMarkerRecovery } from "./undo.js";

/** The catalogue's node faults. */
export type NodeFaultKind = {
  [K in FaultKind]: (typeof faultCatalogue)[K]["scope"] extends "node" ? K : never;
}[FaultKind];

export const isNodeFaultKind = (kind: FaultKind): kind is NodeFaultKind => scopeOf[kind] === "node";

/**
 * How a fault reaches its node: `docker`, the kind node's container (the Docker API); `pod`, a
 * privileged pod on the node (any cluster; it cannot stop or freeze the node it runs on).
 */
export type NodeFaultPath = "docker" | "pod";

/** The mode of the privileged pod that makes this kind, if a pod can (the catalogue's). */
const podMode = (kind: NodeFaultKind): PodFaultMode | undefined => faultEntry(kind).pod;

/**
 * The path of a node fault on this cluster: on the suite's kind cluster Docker, unless
 * STS_NODE_FAULTS=pod asks for the pod; elsewhere the pod, for the kinds it can make; undefined:
 * this kind cannot be made here.
 */
export function nodeFaultPath(kind: NodeFaultKind): NodeFaultPath | undefined {
  const onKind = setting("kindCluster") !== "";
  if (podMode(kind) && (!onKind || setting("nodeFaultsVia") === "pod")) return "pod";
  return onKind ? "docker" : undefined;
}

/**
 * How long a privileged pod holds a fault: the setting, else long enough for this cluster's node
 * monitor to call the node NotReady and evict a member with a 5 s toleration, with a window after:
 * kind-config.yaml's grace is 20 s, Kubernetes' default 50 s.
 */
export const podFaultHoldS = (): number => setting("podFaultHoldS") ?? (setting("kindCluster") !== "" ? 60 : 120);

/** What a kind does to `node`, in words (the catalogue's). */
const whatOf = (kind: NodeFaultKind, node: string) => faultEntry(kind).what.replace("%s", node);

/** Set on a Node the suite made a fault on (value: the run id): what an interrupted run is undone by. */
const nodeFaultByAnnotation = "sts-conformance.io/node-fault-by";

/** Sets or removes the marker on the Node object (the API server keeps it whatever the node does). */
async function mark(kube: Kube, node: string, run: string | undefined): Promise<void> {
  await withRetry(async () => {
    const n = await kube.core.readNode({ name: node });
    setNodeMarker(n, nodeFaultByAnnotation, run);
    await kube.core.replaceNode({ name: node, body: n });
  });
}

/**
 * Undoes whatever node fault is on `node`, waits until its kubelet is back and the node Ready,
 * drops the marker. A fault shorter than the control plane's grace period leaves the Node Ready
 * throughout, so Ready alone proves nothing: the kubelet must have renewed its Lease since.
 */
async function restoreNode(kube: Kube, node: string): Promise<void> {
  const since = Date.now();
  const addresses = (await kube.core.readNode({ name: node })).status?.addresses ?? [];
  await (await KindNode.of(node)).restore(addresses.filter((a) => a.type === "InternalIP").map((a) => a.address));
  await waitFor(kube, {
    watch: watchOf.lease(kube, "kube-node-lease", node),
    what: `node ${node}'s kubelet renewing its Lease again`,
    timeoutMs: Timeouts.nodeReadyMs,
    until: (leases) => [...leases.values()].some((l) => new Date(l.spec?.renewTime ?? 0).getTime() > since),
  });
  await nodeReady(kube, node, Timeouts.nodeReadyMs);
  await mark(kube, node, undefined);
}

const nodeReady = (kube: Kube, node: string, timeoutMs: number) =>
  waitFor(kube, {
    watch: watchOf.nodes(kube),
    what: `node ${node} Ready again`,
    timeoutMs,
    until: (nodes) => [...nodes.values()].some((n) => n.metadata?.name === node && isNodeReady(n)),
  });

/**
 * An interrupted run's fault on a node no Docker reaches: its pod lifts it itself (Ready again
 * within its hold), then a pod of this run undoes whatever is left, and the marker goes.
 */
async function restoreNodeOffDocker(kube: Kube, node: string): Promise<void> {
  await nodeReady(kube, node, podFaultHoldS() * 1000 + Timeouts.nodeReadyMs);
  await restoreNodeByPod(kube, node);
  await mark(kube, node, undefined);
}

/** A node fault, and once applied, what it found on the way (a power cut: the unsynced writes it forgot). */
export interface NodeFault extends Fault {
  applied?: string;
  liftsItselfAt?: number;
}

/**
 * Node loss without losing the node: the node stops answering (stopped, paused, kubelet stopped,
 * or cut off); its disk, and so its local volumes, stay. Undone by restoring its container,
 * verified by the node Ready again and nothing left changed.
 */
export function nodeFault(kube: Kube, node: string, kind: NodeFaultKind, o: { path?: NodeFaultPath } = {}): NodeFault {
  const path = o.path ?? nodeFaultPath(kind);
  if (path === undefined) throw new HarnessError(`${kind} needs the suite's kind cluster (its nodes' containers)`);
  const mode = podMode(kind);
  if (path === "pod") {
    if (!mode) throw new HarnessError(`${kind} cannot be made by a pod on the node it stops`);
    return podNodeFault(kube, node, kind, mode);
  }
  const make = faultEntry(kind).docker;
  if (!make) throw new HarnessError(`${kind} has no way onto a kind node's container`);
  const fault: NodeFault = {
    what: whatOf(kind, node),
    apply: async () => {
      await mark(kube, node, runId); // first: a run killed right after the fault is undone from it
      const found = await make(await KindNode.of(node));
      if (typeof found === "string") fault.applied = found;
    },
    undo: () => restoreNode(kube, node),
    stillChanged: async () => {
      const container = await KindNode.of(node);
      const changes = await container.changes();
      if (changes.length > 0) return changes.join(", ");
      const n = await kube.core.readNode({ name: node });
      if (!isNodeReady(n)) return "not Ready";
      const moved = await container.moved(n); // a stopped container may start at another address
      if (moved) return `moved: ${moved}`;
      if (n.metadata?.annotations?.[nodeFaultByAnnotation]) return "still carries the fault marker";
      return undefined;
    },
  };
  return fault;
}

/**
 * The node cut off by a privileged pod (kubelet stopped, or partitioned) for STS_POD_FAULT_HOLD_S,
 * which it then undoes itself: nothing can reach it meanwhile. Applied means seen applied: the
 * node called NotReady within the hold. The undo waits for the pod's own, verified by the pod
 * (Succeeded), then by another pod reading the node.
 */
function podNodeFault(kube: Kube, node: string, kind: NodeFaultKind, mode: PodFaultMode): NodeFault {
  const holdS = podFaultHoldS();
  let started: PodFault | undefined;
  const fault: NodeFault = {
    what: `${whatOf(kind, node)}, by a privileged pod, for ${holdS} s`,
    apply: async () => {
      await mark(kube, node, runId);
      started = await startPodFault(kube, node, mode, holdS);
      fault.liftsItselfAt = started.liftsAt;
      const pod = started;
      await waitFor(kube, {
        watch: watchOf.nodes(kube),
        what: `node ${node} NotReady`,
        timeoutMs: Math.max(0, pod.liftsAt - Date.now()),
        until: (nodes) => [...nodes.values()].some((n) => n.metadata?.name === node && !isNodeReady(n)),
      }).catch(async (e: unknown) => {
        if (!(e instanceof WaitTimeout)) throw e;
        throw new Inconclusive(
          `${kind} not applied: node ${node} still Ready ${holdS} s after the privileged pod was asked for ` +
            `(${await podFaultState(kube, pod)}); or the control plane's grace period is longer than the hold (STS_POD_FAULT_HOLD_S)`,
        );
      });
    },
    undo: async () => {
      if (started) await podFaultUndone(kube, node, started);
      await nodeReady(kube, node, Timeouts.nodeReadyMs);
      await mark(kube, node, undefined);
    },
    stillChanged: async () => {
      const changes = await nodeChangesByPod(kube, node);
      if (changes.length > 0) return changes.join(", ");
      const n = await kube.core.readNode({ name: node });
      if (!isNodeReady(n)) return "not Ready";
      if (n.metadata?.annotations?.[nodeFaultByAnnotation]) return "still carries the fault marker";
      return undefined;
    },
  };
  return fault;
}

/**
 * An interrupted run's node fault, undone from its marker: the node restored and Ready again. On
 * kind through Docker, whichever path made it (both mark what they change alike).
 */
export const nodeFaultRecovery: NodeMarkerRecovery = {
  annotation: nodeFaultByAnnotation,
  describe: (node, run) => `restoring node ${node} (stopped, paused, kubelet stopped or partitioned by run ${run})`,
  restore: (kube, node) => (setting("kindCluster") !== "" ? restoreNode(kube, node) : restoreNodeOffDocker(kube, node)),
};
