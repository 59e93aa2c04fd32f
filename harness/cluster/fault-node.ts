// The node a node fault is made on: on the suite's kind cluster one of those kind-config.yaml keeps
// for faults (no other test's pods are there); on any other cluster a worker, which the test then holds with
// the cluster to itself, since other tests' pods may be on it.
import type * as k8s from "@kubernetes/client-node";
import { HarnessError } from "../errors/harness-error.js";
import type { Kube } from "../kube/client.js";
import { isNodeReady } from "../kube/nodes.js";
import { faultNodeKey } from "../config/fault-node-key.js";
import { Inconclusive } from "../verdict/verdict.js";

/** The nodes kind-config.yaml keeps for node faults (labelled and tainted `faultNodeKey`), by name. */
export async function faultNodes(kube: Kube): Promise<string[]> {
  const nodes = await kube.core.listNode({ labelSelector: `${faultNodeKey}=true` });
  const names = nodes.items.map((n) => n.metadata?.name ?? "").filter(Boolean);
  if (names.length === 0)
    throw new HarnessError(
      `no node is labelled ${faultNodeKey}=true: the kind cluster was not made from this kind-config.yaml; delete it (npx sts-conformance cluster down)`,
    );
  return names.sort();
}

/** A node a test's pods can be placed on and a fault can be made on: Ready, schedulable, no control plane, no taint that keeps pods off. */
export const faultable = (n: k8s.V1Node): boolean =>
  isNodeReady(n) &&
  !n.spec?.unschedulable &&
  n.metadata?.labels?.["node-role.kubernetes.io/control-plane"] === undefined &&
  !(n.spec?.taints ?? []).some((t) => t.effect === "NoSchedule" || t.effect === "NoExecute");

/** On a cluster the suite did not build: the last worker by name that a fault can be made on. */
export async function workerForFaults(kube: Kube): Promise<string> {
  const nodes = (await kube.core.listNode()).items.filter(faultable);
  const name = nodes
    .map((n) => n.metadata?.name ?? "")
    .sort()
    .pop();
  if (!name) throw new Inconclusive("no Ready, schedulable worker node without taints to make a node fault on");
  return name;
}
