// The production-shaped cluster: kind-config-prod.yaml (three control planes behind kind's load
// balancer, three workers, Kubernetes' own timings), a registry beside it that its nodes pull from,
// and a kubeconfig whose context is not kind's: the suite tests it as a cluster it did not build.
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { paths } from "../config/paths.js";
import { setting } from "../config/settings.js";
import { HarnessError } from "../errors/harness-error.js";
import { Kube } from "../kube/client.js";
import { runBuild } from "./node-image.js";
import { deleteKindCluster, ensureKindCluster, type KindCluster } from "./provision.js";
import { removeRegistry, startRegistry, writeRegistryHosts } from "./registry.js";

/** Where the prod cluster's registry answers on the host (and the name its images carry). */
export const prodRegistryPort = 5001;

/** The control planes kind-config-prod.yaml asks for: kubeadm's HA with stacked etcd. */
const controlPlanes = 3;

/** The prod cluster's name: the default cluster's, with `-prod`. */
export const prodClusterName = (): string => `${setting("clusterName")}-prod`;

export interface ProdCluster {
  name: string;
  /** A kubeconfig of its own, context `admin@<name>`: what a user of any cluster has. */
  kubeconfigPath: string;
  context: string;
  /** The registry its nodes pull from, as images name it (localhost:5001). */
  registry: string;
  reused: boolean;
}

/** The kubeconfig kind wrote, with its context, cluster and user renamed as no kind cluster names them. */
function foreignKubeconfig(cluster: KindCluster): { path: string; context: string } {
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath);
  const context = `admin@${cluster.name}`;
  const doc = JSON.parse(kc.exportConfig()) as {
    clusters: { name: string }[];
    users: { name: string }[];
    contexts: { name: string; context: { cluster: string; user: string } }[];
    "current-context": string;
  };
  const rename = (n: string) => n.replace(/^kind-/, "");
  for (const c of doc.clusters) c.name = rename(c.name);
  for (const u of doc.users) u.name = `admin-${rename(u.name)}`;
  for (const c of doc.contexts) {
    c.name = context;
    c.context = { cluster: rename(c.context.cluster), user: `admin-${rename(c.context.user)}` };
  }
  doc["current-context"] = context;
  const path = join(paths.stateDir, `${cluster.name}.kubeconfig`);
  writeFileSync(path, JSON.stringify(doc, null, 2), { mode: 0o600 });
  return { path, context };
}

/** Every control plane a Ready node: kubeadm joined all three (an HA control plane, not one). */
async function haFormed(cluster: KindCluster): Promise<void> {
  const nodes = await Kube.fromTarget(cluster).core.listNode({
    labelSelector: "node-role.kubernetes.io/control-plane",
  });
  if (nodes.items.length !== controlPlanes)
    throw new HarnessError(
      `kind cluster "${cluster.name}" did not form its HA control plane: ${nodes.items.length} of ${controlPlanes} control-plane nodes joined`,
    );
}

/**
 * Creates (or reuses) the prod cluster and its registry (at `kubernetesVersion`, "" the pinned one): the registry's and load balancer's images
 * built first (harness/images/steps/prod.sh), the nodes told where the registry is, the cluster
 * checked to have its three control planes. A cluster that does not form is deleted.
 */
export async function ensureProdCluster(log: (line: string) => void, kubernetesVersion = ""): Promise<ProdCluster> {
  const name = prodClusterName();
  await runBuild(["prod"], (line) => {
    if (/▶|built in|still running|prod cluster/.test(line)) log(line);
  });
  const hosts = writeRegistryHosts(name, prodRegistryPort);
  let cluster: KindCluster;
  try {
    cluster = await ensureKindCluster({
      name,
      configPath: paths.prodKindConfig,
      mounts: [{ hostPath: hosts, containerPath: "/etc/containerd/certs.d" }],
      kubernetesVersion,
      log,
    });
    await haFormed(cluster);
  } catch (e) {
    await deleteProdCluster();
    throw e;
  }
  const registry = await startRegistry(name, prodRegistryPort);
  const foreign = foreignKubeconfig(cluster);
  log(`prod cluster "${name}": ${controlPlanes} control planes, registry ${registry}, kubeconfig ${foreign.path}`);
  return { name, kubeconfigPath: foreign.path, context: foreign.context, registry, reused: cluster.reused };
}

/** Deletes the prod cluster and its registry. */
export async function deleteProdCluster(): Promise<void> {
  const name = prodClusterName();
  await removeRegistry(name);
  await deleteKindCluster(name);
  rmSync(join(paths.stateDir, `${name}.kubeconfig`), { force: true });
}
