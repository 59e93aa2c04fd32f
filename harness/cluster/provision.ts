// The suite's own kind cluster: the host prepared, the cluster made or reused (same node image and
// config, healthy, its interrupted faults undone first), and deleted.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type * as k8s from "@kubernetes/client-node";
import { execa } from "execa";
import { paths } from "../config/paths.js";
import { setting } from "../config/settings.js";
import { Timeouts } from "../config/timeouts.js";
import { HarnessError } from "../errors/harness-error.js";
import { Kube, type Target } from "../kube/client.js";
import { isNodeReady } from "../kube/nodes.js";
import { waitForSystemPodsReady } from "../kube/pods.js";
import { waitFor } from "../kube/watch.js";
import { watchOf } from "../kube/watch-of.js";
import { KindCli } from "./kind.js";
import { kindConfigDigest, renderKindConfig, sharedMarker, type NodeMount } from "./kind-config.js";
import { KindNode } from "./kind-node.js";
import { resolveNodeImage, type NodeImageChoice } from "./node-image.js";

export interface KindClusterOptions {
  name?: string;
  nodeImage?: NodeImageChoice;
  /** The Kubernetes of the node image built here ("" = the pinned one). */
  kubernetesVersion?: string;
  configPath?: string;
  /** Host directories every node mounts besides the shared volumes' (the prod cluster's registry hosts). */
  mounts?: NodeMount[];
  /**
   * An existing cluster at another Kubernetes is used as it is (`upgrade prepare`: it is the one
   * to upgrade); otherwise it is refused in one line. Never deleted for its version.
   */
  anyVersion?: boolean;
  log?: (line: string) => void;
}

export interface KindCluster extends Target {
  name: string;
  kubeconfigPath: string;
  context: string;
  image: string | undefined;
  /** True when a healthy cluster of the same name and image was reused. */
  reused: boolean;
}

/** Docker with the runtime fix kind nodes need here; idempotent and quick when already done. */
export async function prepareHost(log: (line: string) => void): Promise<void> {
  const r = await execa("bash", [paths.hostSetup], { reject: false, all: true, stdin: "ignore" });
  for (const line of String(r.all ?? "").split("\n")) if (line.startsWith("[host]")) log(line);
  if (r.exitCode !== 0) {
    const why = String(r.all ?? "")
      .split("\n")
      .filter((l) => l.startsWith("host setup:"))
      .pop();
    throw new HarnessError(why ?? `docker could not be prepared: run ${paths.hostSetup} to see why`);
  }
}

async function nodeImages(name: string): Promise<string[]> {
  const nodes = await new KindCli().nodes(name);
  if (nodes.length === 0) return [];
  return Promise.all(nodes.map(async (n) => (await KindNode.of(n)).image())).catch(() => []);
}

/** The kubelet's own words for a node that is not Ready (CNI not up, too many open files, …). */
function notReadyWhy(n: k8s.V1Node): string {
  const ready = n.status?.conditions?.find((c) => c.type === "Ready");
  const why = [ready?.reason, ready?.message].filter(Boolean).join(": ");
  return why === "" ? "" : ` (${why.slice(0, 200)})`;
}

/**
 * kind's --wait covers the control plane only: wait until every node is Ready and every system
 * pod (CNI, DNS, storage) is Ready, so the first test does not race the cluster's own start.
 */
export async function waitUntilUsable(target: Target, timeoutMs: number): Promise<void> {
  const kube = Kube.fromTarget(target);
  await waitFor(kube, {
    watch: watchOf.nodes(kube),
    what: "every node to be Ready",
    timeoutMs,
    until: (nodes) => nodes.size > 0 && [...nodes.values()].every(isNodeReady),
    describe: (nodes) =>
      [...nodes.values()]
        .filter((n) => !isNodeReady(n))
        .map((n) => `${n.metadata?.name} not Ready${notReadyWhy(n)}`)
        .join(", "),
  });
  for (const namespace of ["kube-system", "local-path-storage"])
    await waitForSystemPodsReady(kube, namespace, timeoutMs);
}

/** Beside a cluster's kubeconfig: the digest of the kind config it was made from. */
const digestFile = (kubeconfigPath: string) => `${kubeconfigPath}.config-digest`;

/** Why an existing cluster cannot be reused now, or undefined when it can (a short wait: it may still be settling). */
async function whyNotReusable(
  target: Target & { kubeconfigPath: string },
  images: string[],
  image: string | undefined,
  configDigest: string,
): Promise<string | undefined> {
  if (image !== undefined && !(images.length > 0 && images.every((i) => i === image)))
    return `runs another node image (${images[0] ?? "none"})`;
  const file = digestFile(target.kubeconfigPath);
  if (!existsSync(file) || readFileSync(file, "utf8").trim() !== configDigest)
    return "was made from another kind config (its nodes, taints or timings may differ)";
  try {
    await waitUntilUsable(target, Timeouts.clusterReuseCheckMs);
  } catch (e) {
    return `is unhealthy (${e instanceof Error ? e.message : String(e)})`;
  }
  const nodes = (await Kube.fromTarget(target).core.listNode()).items;
  const moved = (
    await Promise.all(nodes.map(async (n) => (await KindNode.of(n.metadata?.name ?? "")).moved(n)))
  ).filter((m) => m !== undefined);
  if (moved.length > 0) return `has nodes at new addresses since Docker restarted (${moved.join("; ")})`;
  return undefined;
}

/**
 * Undoes node faults a killed run left on the suite's own cluster (a stopped node, the API server's
 * manifest set aside): before the API server is asked anything, since it may be what is down.
 */
async function restoreNodes(kind: KindCli, name: string, log: (line: string) => void): Promise<void> {
  for (const node of await kind.nodes(name)) {
    const container = await KindNode.of(node);
    const changes = await container.changes();
    if (changes.length === 0) continue;
    log(`restoring kind node ${node}, left changed by an interrupted run: ${changes.join(", ")}`);
    await container.restore();
  }
}

/**
 * The default target: a kind cluster created from kind-config.yaml, or a healthy existing one of
 * the same name and node image. A cluster that fails to come up leaves its logs in reports/ and
 * is deleted.
 */
/** The settings that make a kind cluster the target, for a child process or the workers. */
export const kindTargetSettings = (cluster: KindCluster) => ({
  kubeconfig: cluster.kubeconfigPath,
  context: cluster.context,
  kindCluster: cluster.name,
});

export async function ensureKindCluster(o: KindClusterOptions = {}): Promise<KindCluster> {
  const log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const name = o.name ?? setting("clusterName");
  const kind = new KindCli();
  mkdirSync(paths.stateDir, { recursive: true });
  const kubeconfigPath = join(paths.stateDir, `kind-${name}.kubeconfig`);
  const context = `kind-${name}`;
  const sharedDir = sharedVolumesDir(name);
  const configPath = join(paths.stateDir, `kind-${name}.yaml`);
  const configText = renderKindConfig(readFileSync(o.configPath ?? paths.kindConfig, "utf8"), sharedDir, o.mounts);
  writeFileSync(configPath, configText);
  const configDigest = kindConfigDigest(configText);

  await prepareHost(log);
  const image = await resolveNodeImage(o.nodeImage ?? "auto", log, o.kubernetesVersion);
  const version = await kind.version();
  if (!version.ok)
    throw new HarnessError(
      `the kind CLI does not run (${version.all.trim()}): run ${paths.imageBuild} to build the pinned kind`,
    );

  if ((await kind.clusters()).includes(name)) {
    const images = await nodeImages(name);
    const runs = kubernetesOfImage(images[0]);
    const asked = kubernetesOfImage(image);
    // at another version: refused, or (anyVersion) judged by its own image and never recreated at ours
    const other = runs && asked && runs !== asked ? images[0] : undefined;
    if (other && !o.anyVersion)
      throw new HarnessError(
        `kind cluster "${name}" runs Kubernetes ${runs}, not ${asked}: give --kubernetes-version ${runs} to use it as it is, or delete it first (sts-conformance cluster down; --shape prod for the production-shaped one)`,
      );
    await kind.writeKubeconfig(name, kubeconfigPath);
    await restoreNodes(kind, name, log).catch((e: unknown) =>
      log(`could not restore the nodes of kind cluster "${name}": ${e instanceof Error ? e.message : String(e)}`),
    );
    const why = await whyNotReusable({ kubeconfigPath, context }, images, other ?? image, configDigest);
    if (why === undefined) {
      log(`reusing kind cluster "${name}" (${images[0] ?? "kind default image"})`);
      return { name, kubeconfigPath, context, image: other ?? image, reused: true };
    }
    if (other)
      throw new HarnessError(
        `kind cluster "${name}" (Kubernetes ${runs}) ${why}: it is not recreated at another version; delete it (sts-conformance cluster down) and make it again`,
      );
    log(`kind cluster "${name}" ${why}: recreating it`);
    await kind.delete(name, kubeconfigPath);
  }

  // a new cluster starts with no volumes; the marker tells the shared class's provisioner the mount is there
  rmSync(sharedDir, { recursive: true, force: true });
  mkdirSync(sharedDir, { recursive: true });
  writeFileSync(join(sharedDir, sharedMarker), `the shared volumes of kind cluster ${name}\n`);
  log(`creating kind cluster "${name}" with ${image ?? "kind's default node image"} …`);
  const started = Date.now();
  const created = await kind.create({
    name,
    configPath,
    kubeconfigPath,
    image,
    waitMs: Timeouts.clusterCreateMs,
    onLine: (line) => log(`  kind: ${line}`),
  });
  if (!created.ok) {
    const logsDir = join(paths.reportsDir, "kind-logs", new Date().toISOString().replace(/[:.]/g, "-"));
    await kind.exportLogs(name, logsDir);
    await kind.delete(name, kubeconfigPath);
    forgetCluster(name);
    const why =
      created.all
        .split("\n")
        .filter((l) => l.startsWith("ERROR"))
        .pop() ?? created.all.trim().split("\n").pop();
    throw new HarnessError(
      `kind cluster "${name}" did not come up (${why}); node logs are in ${logsDir}; check 'docker info' and free disk, then retry`,
    );
  }
  try {
    await waitUntilUsable({ kubeconfigPath, context }, Timeouts.clusterCreateMs);
  } catch (e) {
    throw new HarnessError(
      `kind cluster "${name}" started but is not usable: ${(e as Error).message}; inspect it with kubectl --kubeconfig ${kubeconfigPath}, or delete it with 'npx sts-conformance cluster down'`,
    );
  }
  writeFileSync(digestFile(kubeconfigPath), `${configDigest}\n`);
  log(`cluster "${name}" ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { name, kubeconfigPath, context, image, reused: false };
}

/**
 * The kind cluster of that name as it is, never recreated: the upgrade mode's commands after
 * `prepare` work on a cluster whose node image no longer says its version (it was upgraded in place).
 */
export async function existingKindCluster(name = setting("clusterName")): Promise<KindCluster> {
  const kind = new KindCli();
  if (!(await kind.clusters()).includes(name))
    throw new HarnessError(
      `there is no kind cluster "${name}": 'upgrade prepare' (or 'cluster up') makes it, or give --kubeconfig for another cluster`,
    );
  mkdirSync(paths.stateDir, { recursive: true });
  const kubeconfigPath = join(paths.stateDir, `kind-${name}.kubeconfig`);
  const r = await kind.writeKubeconfig(name, kubeconfigPath);
  if (!r.ok)
    throw new HarnessError(
      `could not read the kubeconfig of kind cluster "${name}": ${r.all.trim().split("\n").pop()}`,
    );
  return { name, kubeconfigPath, context: `kind-${name}`, image: undefined, reused: true };
}

/** Deletes the kind cluster this suite created, and its shared volumes' directory. */
export async function deleteKindCluster(name = setting("clusterName")): Promise<void> {
  const r = await new KindCli().delete(name, join(paths.stateDir, `kind-${name}.kubeconfig`));
  if (!r.ok) throw new HarnessError(`could not delete kind cluster "${name}": ${r.all.trim().split("\n").pop()}`);
  forgetCluster(name);
}

/** Removes what the suite kept of kind cluster `name` (its kubeconfig, config, volumes): nothing outlives it. */
function forgetCluster(name: string): void {
  const kubeconfigPath = join(paths.stateDir, `kind-${name}.kubeconfig`);
  for (const path of [kubeconfigPath, digestFile(kubeconfigPath), join(paths.stateDir, `kind-${name}.yaml`)])
    rmSync(path, { force: true });
  rmSync(sharedVolumesDir(name), { recursive: true, force: true });
}

/** The Kubernetes release a node image's tag names (the suite's `…:v1.37.2-<hash>`, kind's `…:v1.37.2`). */
export const kubernetesOfImage = (image: string | undefined): string | undefined =>
  /:(v\d+\.\d+\.\d+)(?:-|@|$)/.exec(image ?? "")?.[1];

/** The host directory every node of kind cluster `name` mounts for the StorageClass `shared`. */
const sharedVolumesDir = (name: string) => join(paths.stateDir, `shared-volumes-${name}`);
