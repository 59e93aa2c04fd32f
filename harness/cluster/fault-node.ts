// Finding the node kind-config.yaml reserves for node faults.
import { HarnessError } from "../errors/harness-error.js";
import type { Kube } from "../kube/client.js";
import { faultNodeKey } from "../config/fault-node-key.js";

/** The node kind-config.yaml reserves for node faults (labelled and tainted `faultNodeKey`). */
export async function faultNode(kube: Kube): Promise<string> {
  const nodes = await kube.core.listNode({ labelSelector: `${faultNodeKey}=true` });
  const name = nodes.items[0]?.metadata?.name;
  if (!name)
    throw new HarnessError(
      `no node is labelled ${faultNodeKey}=true: the kind cluster was not made from this kind-config.yaml; delete it (npx sts-conformance cluster down)`,
    );
  return name;
}
