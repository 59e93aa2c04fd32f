import { nodeContainer, nodePausedNow } from "../cluster/node-container.js";
import { Timeouts } from "../config/timeouts.js";
import type { Kube } from "../kube/client.js";
import { runId } from "../kube/labels.js";
import { isNodeReady } from "../kube/nodes.js";
import { withRetry } from "../kube/retry.js";
import { waitFor, watchOf } from "../kube/watch.js";
import type { Fault } from "./undo.js";

/** Set on a node whose container the suite paused (value: the run id): what an interrupted run is undone by. */
export const pausedByAnnotation = "sts-conformance.io/paused-by";

/** Sets or removes the pause marker on the Node object (the API server keeps it while the node is frozen). */
async function markPaused(kube: Kube, node: string, run: string | undefined): Promise<void> {
  await withRetry(async () => {
    const n = await kube.core.readNode({ name: node });
    const others = Object.entries(n.metadata?.annotations ?? {}).filter(([k]) => k !== pausedByAnnotation);
    const annotations = Object.fromEntries(run === undefined ? others : [...others, [pausedByAnnotation, run]]);
    n.metadata = { ...n.metadata, annotations };
    await kube.core.replaceNode({ name: node, body: n });
  });
}

/** Unpauses the node's container if it is paused, waits until the node is Ready, drops the marker. */
export async function unpauseNode(kube: Kube, node: string): Promise<void> {
  if (await nodePausedNow(node)) await (await nodeContainer(node)).unpause();
  await waitFor(kube, {
    watch: watchOf.nodes(kube),
    what: `node ${node} Ready again`,
    timeoutMs: Timeouts.nodeReadyMs,
    until: (nodes) => [...nodes.values()].some((n) => n.metadata?.name === node && isNodeReady(n)),
  });
  await markPaused(kube, node, undefined);
}

/**
 * Node loss without losing the node (G23): its container is paused, so the kubelet stops renewing
 * its lease and the node becomes unreachable, with its pods still running (frozen) on it. Undone
 * by unpausing it, verified by the node Ready again.
 */
export function nodePaused(kube: Kube, node: string): Fault {
  return {
    what: `pause node ${node} (its container frozen: kubelet, pods and their network stop answering)`,
    apply: async () => {
      await markPaused(kube, node, runId); // first: a run killed right after the pause is undone from it
      await (await nodeContainer(node)).pause();
    },
    undo: () => unpauseNode(kube, node),
    stillChanged: async () => {
      if (await nodePausedNow(node)) return "its container is still paused";
      const n = await kube.core.readNode({ name: node });
      if (!isNodeReady(n)) return "not Ready";
      if (n.metadata?.annotations?.[pausedByAnnotation]) return "still carries the pause marker";
      return undefined;
    },
  };
}
