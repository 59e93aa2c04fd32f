import {
  nodeContainerChanges,
  nodeMoved,
  partitionNode,
  pauseNode,
  restoreNodeContainer,
  stopKubelet,
  stopNode,
} from "../cluster/node-container.js";
import { Timeouts } from "../config/timeouts.js";
import type { Kube } from "../kube/client.js";
import { runId } from "../kube/labels.js";
import { isNodeReady, setNodeMarker } from "../kube/nodes.js";
import { withRetry } from "../kube/retry.js";
import { waitFor } from "../kube/watch.js";
import { watchOf } from "../kube/watch-of.js";
import type { Fault, NodeMarkerRecovery } from "./undo.js";

/** Node losses the suite makes on a kind node's container. */
export type NodeFaultKind = "node-stop" | "node-pause" | "kubelet-stop" | "partition";

/** How each kind is made; `apply` may say what it found on the way (a power cut: what was forgotten). */
const how: Record<NodeFaultKind, { what: string; apply: (node: string) => Promise<unknown> }> = {
  "node-stop": { what: "power-cut node %s (unsynced writes forgotten, its container killed)", apply: stopNode },
  "node-pause": { what: "pause node %s (its container frozen: kubelet, pods and their network)", apply: pauseNode },
  "kubelet-stop": { what: "stop the kubelet of node %s (its pods keep running, unsupervised)", apply: stopKubelet },
  partition: { what: "partition node %s from the network (control plane, nodes, pods)", apply: partitionNode },
};

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
  await restoreNodeContainer(node);
  await waitFor(kube, {
    watch: watchOf.lease(kube, "kube-node-lease", node),
    what: `node ${node}'s kubelet renewing its Lease again`,
    timeoutMs: Timeouts.nodeReadyMs,
    until: (leases) => [...leases.values()].some((l) => new Date(l.spec?.renewTime ?? 0).getTime() > since),
  });
  await waitFor(kube, {
    watch: watchOf.nodes(kube),
    what: `node ${node} Ready again`,
    timeoutMs: Timeouts.nodeReadyMs,
    until: (nodes) => [...nodes.values()].some((n) => n.metadata?.name === node && isNodeReady(n)),
  });
  await mark(kube, node, undefined);
}

/** A node fault, and once applied, what it found on the way (a power cut: the unsynced writes it forgot). */
export interface NodeFault extends Fault {
  applied?: string;
}

/**
 * Node loss without losing the node: the node stops answering (stopped, paused, kubelet stopped,
 * or cut off); its disk, and so its local volumes, stay. Undone by restoring its container,
 * verified by the node Ready again and nothing left changed.
 */
export function nodeFault(kube: Kube, node: string, kind: NodeFaultKind): NodeFault {
  const fault: NodeFault = {
    what: how[kind].what.replace("%s", node),
    apply: async () => {
      await mark(kube, node, runId); // first: a run killed right after the fault is undone from it
      const found = await how[kind].apply(node);
      if (typeof found === "string") fault.applied = found;
    },
    undo: () => restoreNode(kube, node),
    stillChanged: async () => {
      const changes = await nodeContainerChanges(node);
      if (changes.length > 0) return changes.join(", ");
      const n = await kube.core.readNode({ name: node });
      if (!isNodeReady(n)) return "not Ready";
      const moved = await nodeMoved(n); // a stopped container may start at another address
      if (moved) return `moved: ${moved}`;
      if (n.metadata?.annotations?.[nodeFaultByAnnotation]) return "still carries the fault marker";
      return undefined;
    },
  };
  return fault;
}

/** An interrupted run's node fault, undone from its marker: the node restored and Ready again. */
export const nodeFaultRecovery: NodeMarkerRecovery = {
  annotation: nodeFaultByAnnotation,
  describe: (node, run) => `restoring node ${node} (stopped, paused, kubelet stopped or partitioned by run ${run})`,
  restore: restoreNode,
};
