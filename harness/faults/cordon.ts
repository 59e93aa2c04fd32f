// A node cordoned, marked so an interrupted run's cordon is lifted by the next run.
import type { Kube } from "../kube/client.js";
import { runId } from "../kube/labels.js";
import { setNodeMarker } from "../kube/nodes.js";
import { withRetry } from "../kube/retry.js";
import type { Fault, NodeMarkerRecovery } from "./undo.js";

/** Set on a node the suite cordoned (value: the run id): the marker an interrupted run is undone by. */
const cordonedByAnnotation = "sts-conformance.io/cordoned-by";

/**
 * Marks a node (un)schedulable: read, set spec.unschedulable and the marker, replace (conflicts
 * retried).
 */
async function setUnschedulable(kube: Kube, node: string, unschedulable: boolean): Promise<void> {
  await withRetry(async () => {
    const n = await kube.core.readNode({ name: node });
    n.spec = { ...n.spec, unschedulable };
    setNodeMarker(n, cordonedByAnnotation, unschedulable ? runId : undefined);
    await kube.core.replaceNode({ name: node, body: n });
  });
}

/** Cordon: no new pod is scheduled on the node; undone by uncordoning it. */
export function cordon(kube: Kube, node: string): Fault {
  return {
    what: `cordon node ${node}`,
    apply: () => setUnschedulable(kube, node, true),
    undo: () => setUnschedulable(kube, node, false),
    stillChanged: async () => {
      const n = await kube.core.readNode({ name: node });
      if (n.spec?.unschedulable) return "still unschedulable";
      if (n.metadata?.annotations?.[cordonedByAnnotation]) return "still carries the cordon marker";
      return undefined;
    },
  };
}

/** An interrupted run's cordon, undone from its marker. */
export const cordonRecovery: NodeMarkerRecovery = {
  annotation: cordonedByAnnotation,
  describe: (node, run) => `uncordoning node ${node}, cordoned by run ${run}`,
  restore: (kube, node) => setUnschedulable(kube, node, false),
};
