// Node faults through a short-lived privileged pod on the node (host-fault.sh beside this file):
// how a node is reached on a cluster whose nodes no Docker API reaches; on kind too when asked
// (STS_NODE_FAULTS=pod), so that every CI run tests this path. The pod goes straight to the
// node's kubelet (nodeName: no scheduler, no taint keeps it off) in the run's own namespace.
import type * as k8s from "@kubernetes/client-node";
import type { PodFaultMode } from "../chaos/catalogue.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fixtureImage } from "../config/image-build.js";
import { repoRoot } from "../config/paths.js";
import { Timeouts } from "../config/timeouts.js";
import { HarnessError } from "../errors/harness-error.js";
import type { Kube } from "../kube/client.js";
import { Labels, managedByValue, runId, runNamespace } from "../kube/labels.js";
import { podState, waitForPodCompletion } from "../kube/pods.js";
import { serverMessage } from "../kube/refused.js";
import { withRetry } from "../kube/retry.js";
import { Inconclusive } from "../verdict/verdict.js";

const script = readFileSync(join(repoRoot, "harness", "cluster", "host-fault.sh"), "utf8");

/** On the suite's privileged pods: the node they act on. */
const nodeLabel = "sts-conformance.io/node-fault";

function hostPod(node: string, name: string, args: string[]): k8s.V1Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, labels: { [Labels.managedBy]: managedByValue, [Labels.run]: runId, [nodeLabel]: node } },
    spec: {
      nodeName: node,
      hostPID: true,
      hostNetwork: true,
      restartPolicy: "Never",
      automountServiceAccountToken: false,
      tolerations: [{ operator: "Exists" }],
      // A pod deleted while its fault holds undoes it on TERM (the kubelet, once back, sends it).
      terminationGracePeriodSeconds: 10,
      containers: [
        {
          name: "host",
          image: fixtureImage(),
          imagePullPolicy: "IfNotPresent",
          command: ["sh", "-c", script, "host-fault.sh", ...args],
          securityContext: { privileged: true },
        },
      ],
    },
  };
}

const namespace = () => runNamespace(runId);

/**
 * Whether the cluster admits the privileged pod node faults are made by, asked by a server-side dry
 * run in `ns` (Pod Security admission, a policy engine and the rights all answer one): undefined when
 * it does, else its refusal in a line.
 */
export async function privilegedPodRefusal(kube: Kube, ns: string, node: string): Promise<string | undefined> {
  const body = hostPod(node, "sts-privileged-probe", ["probe"]);
  try {
    await withRetry(() => kube.core.createNamespacedPod({ namespace: ns, body, dryRun: "All" }));
    return undefined;
  } catch (e) {
    const code = (e as { code?: number }).code;
    if (code === 400 || code === 403 || code === 422) return serverMessage(e).slice(0, 300);
    throw e;
  }
}

/** Creates the pod; a refusal (Pod Security, an admission policy) is the cluster's answer, not a finding. */
async function create(kube: Kube, pod: k8s.V1Pod, what: string): Promise<void> {
  await withRetry(() => kube.core.createNamespacedPod({ namespace: namespace(), body: pod })).catch((e: unknown) => {
    const code = (e as { code?: number }).code;
    if (code === 400 || code === 403 || code === 422)
      throw new Inconclusive(`${what} not applied: the cluster refused the privileged pod: ${(e as Error).message}`);
    throw e;
  });
}

async function logOf(kube: Kube, name: string): Promise<string> {
  return String(
    await kube.core
      .readNamespacedPodLog({ namespace: namespace(), name })
      .catch((e: Error) => `(no log: ${e.message.split("\n")[0]})`),
  ).trim();
}

const remove = (kube: Kube, name: string) =>
  withRetry(() => kube.core.deleteNamespacedPod({ namespace: namespace(), name })).catch(() => undefined);

const podNameFor = (verb: string, node: string) => `${verb}-${node}-${Math.random().toString(36).slice(2, 7)}`;

/** Runs host-fault.sh to completion on the node; its success and what it said. */
async function runOnNode(kube: Kube, node: string, verb: "inspect" | "restore"): Promise<{ ok: boolean; log: string }> {
  const name = podNameFor(`node-${verb}`, node);
  await create(kube, hostPod(node, name, [verb]), `${verb} node ${node}`);
  try {
    const done = await waitForPodCompletion(kube, namespace(), name, Timeouts.podStartMs);
    return { ok: done.status?.phase === "Succeeded", log: await logOf(kube, name) };
  } finally {
    await remove(kube, name);
  }
}

/** What is changed on the node (kubelet not active, partition rules), in words; empty when nothing. */
export async function nodeChangesByPod(kube: Kube, node: string): Promise<string[]> {
  const r = await runOnNode(kube, node, "inspect");
  if (!r.ok) throw new HarnessError(`the privileged pod reading node ${node} failed: ${r.log}`);
  return r.log.split("\n").filter(Boolean);
}

/** Undoes whatever node fault is left on the node (partition rules, a stopped kubelet), verified. */
export async function restoreNodeByPod(kube: Kube, node: string): Promise<void> {
  const r = await runOnNode(kube, node, "restore");
  if (!r.ok) throw new HarnessError(`node ${node}: ${r.log}`);
}

/** A fault a pod holds: its pod, and when it lifts at the earliest (this process's clock). */
export interface PodFault {
  pod: string;
  liftsAt: number;
}

/**
 * Starts the pod that makes `kind` on the node, holds it `holdS` seconds and undoes it. It lifts
 * no sooner than `holdS` after this call: the pod cannot act before it is asked for.
 */
export async function startPodFault(kube: Kube, node: string, kind: PodFaultMode, holdS: number): Promise<PodFault> {
  const name = podNameFor(kind, node);
  const asked = Date.now();
  await create(kube, hostPod(node, name, ["fault", kind, String(holdS)]), `${kind} of node ${node}`);
  return { pod: name, liftsAt: asked + holdS * 1000 };
}

/** The pod's state in a line, for a fault that did not take. */
export async function podFaultState(kube: Kube, f: PodFault): Promise<string> {
  const pod = await kube.core.readNamespacedPod({ namespace: namespace(), name: f.pod }).catch(() => undefined);
  return pod ? podState(pod) : `${f.pod} absent`;
}

/**
 * Waits until the pod has undone its fault and verified it: Succeeded, which its kubelet, back,
 * reports. Then it is deleted. A pod deleted before that undoes the fault on TERM.
 */
export async function podFaultUndone(kube: Kube, node: string, f: PodFault): Promise<void> {
  try {
    const left = Math.max(0, f.liftsAt - Date.now());
    const done = await waitForPodCompletion(kube, namespace(), f.pod, left + Timeouts.nodeReadyMs);
    if (done.status?.phase !== "Succeeded")
      throw new HarnessError(
        `the privileged pod on node ${node} did not undo its fault: ${podState(done)}: ${await logOf(kube, f.pod)}`,
      );
  } finally {
    await remove(kube, f.pod);
  }
}
