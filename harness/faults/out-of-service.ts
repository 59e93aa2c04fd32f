// The non-graceful node shutdown path (G24): an operator who knows a node is down for good taints it
// out-of-service, and the control plane may then force-delete its pods and release their volumes.
import type * as k8s from "@kubernetes/client-node";
import type { Kube } from "../kube/client.js";
import { runId } from "../kube/labels.js";
import { setNodeMarker } from "../kube/nodes.js";
import { withRetry } from "../kube/retry.js";
import type { Fault, NodeMarkerRecovery } from "./undo.js";

/** Set on a Node the suite tainted out-of-service (value: the run id): what an interrupted run is undone by. */
const outOfServiceByAnnotation = "sts-conformance.io/out-of-service-by";

const taint: k8s.V1Taint = { key: "node.kubernetes.io/out-of-service", value: "nodeshutdown", effect: "NoExecute" };
const isTheTaint = (t: k8s.V1Taint) => t.key === taint.key && t.effect === taint.effect;

/** Adds or removes the out-of-service taint and the suite's marker (conflicts retried). */
async function setOutOfService(kube: Kube, node: string, on: boolean): Promise<void> {
  await withRetry(async () => {
    const n = await kube.core.readNode({ name: node });
    const others = (n.spec?.taints ?? []).filter((t) => !isTheTaint(t));
    n.spec = { ...n.spec, taints: on ? [...others, taint] : others };
    setNodeMarker(n, outOfServiceByAnnotation, on ? runId : undefined);
    await kube.core.replaceNode({ name: node, body: n });
  });
}

/** The node declared out of service; undone by removing the taint (only the suite's own). */
export function outOfService(kube: Kube, node: string): Fault {
  return {
    what: `taint node ${node} ${taint.key}=${taint.value}:${taint.effect}`,
    apply: () => setOutOfService(kube, node, true),
    undo: () => setOutOfService(kube, node, false),
    stillChanged: async () => {
      const n = await kube.core.readNode({ name: node });
      if ((n.spec?.taints ?? []).some(isTheTaint)) return "still tainted out-of-service";
      if (n.metadata?.annotations?.[outOfServiceByAnnotation]) return "still carries the out-of-service marker";
      return undefined;
    },
  };
}

/** An interrupted run's out-of-service taint, removed from its marker. */
export const outOfServiceRecovery: NodeMarkerRecovery = {
  annotation: outOfServiceByAnnotation,
  describe: (node, run) => `removing the out-of-service taint from node ${node}, tainted by run ${run}`,
  restore: (kube, node) => setOutOfService(kube, node, false),
};
