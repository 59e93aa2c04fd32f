// An in-place upgrade of the suite's kind cluster the way operators upgrade a kubeadm cluster:
// the new version's binaries and images staged on every node first (no registry), then
// `kubeadm upgrade apply` on the control plane, then node by node: cordon, drain through the
// Eviction API (PodDisruptionBudgets respected, DaemonSet and static pods left), `kubeadm upgrade
// node`, the new kubelet and kubectl, kubelet restarted, Ready at the new version, uncordon.
import type * as k8s from "@kubernetes/client-node";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pRetry from "p-retry";
import { paths } from "../config/paths.js";
import { Timeouts } from "../config/timeouts.js";
import { ExitCode, HarnessError } from "../errors/harness-error.js";
import { evict } from "../kube/eviction.js";
import { Kube, type Target } from "../kube/client.js";
import { isNodeReady } from "../kube/nodes.js";
import { transient } from "../kube/retry.js";
import { waitFor } from "../kube/watch.js";
import { watchOf } from "../kube/watch-of.js";
import { buildUpgradePayload } from "./node-image.js";
import { KindCli } from "./kind.js";
import { controlPlaneNode, KindNode } from "./kind-node.js";

export interface UpgradeOptions {
  cluster: string;
  target: Target;
  to: string;
  log: (line: string) => void;
  /** Told each phase as it starts (a watch marks its timeline with it). */
  mark?: (what: string) => void;
}

/** Seconds each phase took, for the closing report. */
export interface UpgradeTimes {
  stageS: number;
  controlPlaneS: number;
  nodesS: Record<string, number>;
  totalS: number;
}

const secondsSince = (t: number) => Math.round((Date.now() - t) / 100) / 10;

/**
 * API calls during an upgrade: the API server restarts under them, and right after the control
 * plane's upgrade the admin credentials were refused once (403: RBAC not yet synced on the new
 * server), so a 403 is retried here too, for as long as an API server restart takes.
 */
function duringUpgrade<T>(fn: () => Promise<T>): Promise<T> {
  return pRetry(fn, {
    retries: 30,
    minTimeout: 500,
    maxTimeout: 4000,
    maxRetryTime: Timeouts.apiServerRestartMs,
    shouldRetry: ({ error }) => transient(error) || (error as { code?: number }).code === 403,
  });
}

/**
 * Runs a command in a node (kubeadm), its whole output kept in a file beside the baseline and only
 * its outcome lines shown; a failure is one line naming the step, its last lines and the file.
 */
async function inNode(node: string, what: string, args: string[], log: (line: string) => void): Promise<void> {
  mkdirSync(paths.upgradeDir, { recursive: true });
  const file = join(paths.upgradeDir, `${what.replace(/\W+/g, "-")}-${node}.log`);
  const r = await (await KindNode.of(node)).run(args);
  const out = r.output;
  writeFileSync(file, out);
  for (const line of out.split("\n")) if (/SUCCESS|successfully upgraded!$/.test(line)) log(`    ${line.trim()}`);
  if (r.exitCode !== 0) {
    const tail = out.trim().split("\n").slice(-3).join(" | ");
    throw new HarnessError(
      `upgrade: ${what} on ${node} failed (exit ${r.exitCode}): ${tail} (all of it: ${file})`,
      ExitCode.Inconclusive,
    );
  }
}

/** The payload on a node: /kind/upgrade/<version>/ with the binaries; the images in containerd, pinned. */
async function stage(node: string, payload: string, to: string): Promise<void> {
  const dir = `/kind/upgrade/${to}`;
  const container = await KindNode.of(node);
  await container.copyIn(payload, dir).catch((e: unknown) => {
    throw new HarnessError(`upgrade: copying the payload into ${node} failed: ${String(e)}`, ExitCode.Inconclusive);
  });
  await container.sh(
    `ctr -n k8s.io images import --no-unpack --digests --label io.cri-containerd.pinned=pinned ${dir}/images.tar >/dev/null && rm -f ${dir}/images.tar`,
  );
}

/**
 * Puts `to`'s kubeadm, kubelet and kubectl (in /kind/upgrade/<to>/) and its images (in containerd,
 * pinned) on every node: what installing the packages does on a real node, the step before any
 * runbook of an upgrade. Returns the seconds it took.
 */
export async function stageUpgrade(nodes: string[], to: string, log: (line: string) => void): Promise<number> {
  const payload = await buildUpgradePayload(to, (line) => log(`  ${line}`));
  const t = Date.now();
  await Promise.all(nodes.map((n) => stage(n, payload, to)));
  const stageS = secondsSince(t);
  log(`  staged ${to}'s binaries and images on every node in ${stageS} s (/kind/upgrade/${to}/)`);
  return stageS;
}

async function setUnschedulable(kube: Kube, node: string, unschedulable: boolean): Promise<void> {
  await duringUpgrade(async () => {
    const n = await kube.core.readNode({ name: node });
    n.spec = { ...n.spec, unschedulable };
    await kube.core.replaceNode({ name: node, body: n });
  });
}

/** Pods a drain leaves: DaemonSet pods (as `kubectl drain --ignore-daemonsets`) and static (mirror) pods. */
const leftByDrain = (p: k8s.V1Pod) =>
  (p.metadata?.ownerReferences ?? []).some((o) => o.kind === "DaemonSet") ||
  p.metadata?.annotations?.["kubernetes.io/config.mirror"] !== undefined;

const podKey = (p: k8s.V1Pod) => `${p.metadata?.namespace}/${p.metadata?.name}`;

/**
 * Empties a cordoned node as `kubectl drain --ignore-daemonsets` does: each pod evicted through the
 * Eviction API, a refusal (a budget that would break) asked again until the budget allows, then
 * every evicted pod gone.
 */
async function drain(kube: Kube, node: string, log: (line: string) => void): Promise<void> {
  const onNode = watchOf.podsOnNode(kube, node);
  const pods = (await duringUpgrade(onNode.list)).items.filter(
    (p) => !leftByDrain(p) && p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed",
  );
  const deadline = Date.now() + Timeouts.setSettleMs;
  await Promise.all(
    pods.map(async (p) => {
      const [namespace, name] = [p.metadata?.namespace ?? "", p.metadata?.name ?? ""];
      for (;;) {
        const r = await duringUpgrade(() => evict(kube, namespace, name)).catch((e: unknown) => {
          if ((e as { code?: number }).code === 404) return { evicted: true as const }; // gone already
          throw e;
        });
        if (r.evicted) return;
        if (Date.now() > deadline)
          throw new HarnessError(
            `upgrade: evicting ${namespace}/${name} from ${node} was refused for ${Timeouts.setSettleMs / 1000} s (a budget that never allows it): ${r.reason}`,
            ExitCode.Inconclusive,
          );
        await new Promise((resolve) => setTimeout(resolve, 2000)); // eslint-disable-line no-restricted-syntax -- kubectl drain's pace between refused evictions
      }
    }),
  );
  const evicted = new Map(pods.map((p) => [podKey(p), p.metadata?.uid]));
  await waitFor(kube, {
    watch: onNode,
    what: `the pods evicted from ${node} to be gone`,
    timeoutMs: Timeouts.setSettleMs,
    until: (current) => [...current.values()].every((p) => evicted.get(podKey(p)) !== p.metadata?.uid),
  });
  log(`  ${node}: drained (${pods.length} pods evicted)`);
}

/** Waits until the node is Ready with its kubelet at `version`. */
async function readyAt(kube: Kube, node: string, version: string): Promise<void> {
  await waitFor(kube, {
    watch: watchOf.nodes(kube),
    what: `${node} Ready at ${version}`,
    timeoutMs: Timeouts.nodeReadyMs,
    until: (nodes) => {
      const n = nodes.get(`/${node}`);
      return n !== undefined && isNodeReady(n) && n.status?.nodeInfo?.kubeletVersion === version;
    },
    describe: (nodes) => {
      const n = nodes.get(`/${node}`);
      return n ? `kubelet ${n.status?.nodeInfo?.kubeletVersion}, ${isNodeReady(n) ? "Ready" : "NotReady"}` : "absent";
    },
  });
}

/**
 * One node: cordon, drain, `kubeadm upgrade node` (the control plane was upgraded by `upgrade
 * apply`), the new kubelet and kubectl, restart, Ready at the new version, uncordon.
 */
async function upgradeNode(
  kube: Kube,
  node: string,
  o: { to: string; controlPlane: boolean; log: (line: string) => void },
): Promise<void> {
  const dir = `/kind/upgrade/${o.to}`;
  await setUnschedulable(kube, node, true);
  await drain(kube, node, o.log);
  if (!o.controlPlane)
    await inNode(
      node,
      "kubeadm upgrade node",
      [`${dir}/kubeadm`, "upgrade", "node", "--ignore-preflight-errors=SystemVerification"],
      o.log,
    );
  await (
    await KindNode.of(node)
  ).sh(
    `install -m 0755 ${dir}/kubelet ${dir}/kubectl /usr/bin/ && systemctl daemon-reload && systemctl restart kubelet`,
  );
  await readyAt(kube, node, o.to);
  await setUnschedulable(kube, node, false);
}

/** Refuses, in one line, what kubeadm does not upgrade: a version not newer, or more than one minor ahead. */
export function upgradeStep(from: string, to: string): void {
  const parts = (v: string) => (/^v1\.(\d+)\.(\d+)$/.exec(v) ?? []).slice(1).map(Number);
  const [fm = NaN, fp = NaN] = parts(from);
  const [tm = NaN, tp = NaN] = parts(to);
  const newer = tm > fm || (tm === fm && tp > fp);
  if (!newer || tm - fm > 1)
    throw new HarnessError(
      `${from} → ${to} is not an upgrade kubeadm makes: the target must be newer, in the same minor or the next one`,
    );
}

/** The kind cluster's Kubernetes version as its API server reports it. */
export async function serverVersion(kube: Kube): Promise<string> {
  const v = await duringUpgrade(() => kube.version.getCode());
  return v.gitVersion;
}

/**
 * Upgrades the kind cluster in place to `to` (built here if not cached). Refuses a version that
 * is not newer by one minor at most, as kubeadm does, before anything is changed.
 */
export async function upgradeKindCluster(o: UpgradeOptions): Promise<UpgradeTimes> {
  const started = Date.now();
  const kube = Kube.fromTarget(o.target);
  const from = await serverVersion(kube);
  upgradeStep(from, o.to);
  const nodes = await new KindCli().nodes(o.cluster);
  const cp = controlPlaneNode(o.cluster);
  const workers = nodes.filter((n) => n !== cp).sort();
  o.log(`upgrading kind cluster "${o.cluster}" ${from} → ${o.to}: ${nodes.length} nodes`);

  const stageS = await stageUpgrade(nodes, o.to, o.log);

  let t = Date.now();
  o.mark?.(`upgrade: kubeadm upgrade apply ${o.to} on ${cp}`);
  o.log(`  ${cp}: kubeadm upgrade apply ${o.to}`);
  await inNode(
    cp,
    "kubeadm upgrade apply",
    [
      `/kind/upgrade/${o.to}/kubeadm`,
      "upgrade",
      "apply",
      o.to,
      "--yes",
      "--ignore-preflight-errors=SystemVerification",
    ],
    o.log,
  );
  const controlPlaneS = secondsSince(t);
  o.log(`  control plane at ${o.to} in ${controlPlaneS} s`);

  const nodesS: Record<string, number> = {};
  for (const node of [cp, ...workers]) {
    t = Date.now();
    o.mark?.(`upgrade: ${node} cordoned, drained, upgraded to ${o.to}, uncordoned`);
    await upgradeNode(kube, node, { to: o.to, controlPlane: node === cp, log: o.log });
    nodesS[node] = secondsSince(t);
    o.log(`  ${node}: at ${o.to} and uncordoned in ${nodesS[node]} s`);
  }
  const totalS = secondsSince(started);
  o.mark?.(`upgrade: every node at ${o.to}`);
  o.log(`kind cluster "${o.cluster}" upgraded to ${o.to} in ${totalS} s`);
  return { stageS, controlPlaneS, nodesS, totalS };
}
