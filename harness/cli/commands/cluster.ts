// `cluster up`, `cluster down`, `cluster upgrade`: the suite's own kind cluster.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deleteProdCluster, ensureProdCluster, prodClusterName } from "../../cluster/prod-cluster.js";
import { KindCli } from "../../cluster/kind.js";
import { setting } from "../../config/settings.js";
import { deleteKindCluster, ensureKindCluster, existingKindCluster } from "../../cluster/provision.js";
import { pinnedKubernetesVersion } from "../../config/image-build.js";
import { paths } from "../../config/paths.js";
import { ExitCode, HarnessError } from "../../errors/harness-error.js";
import { stageUpgrade, upgradeKindCluster, type UpgradeTimes } from "../../cluster/kind-upgrade.js";
import { log, type Command, type RunOptions } from "../command.js";
import { otherCluster } from "../target.js";

/** `cluster upgrade`: the suite's kind cluster only (another cluster is upgraded its own way, with prepare/watch/check around it). */
export async function clusterUpgrade(
  o: RunOptions,
  name?: string,
  mark?: (what: string) => void,
): Promise<UpgradeTimes> {
  if (otherCluster(o))
    throw new HarnessError(
      "cluster upgrade upgrades the suite's kind cluster; upgrade another cluster its own way, with 'upgrade prepare', 'watch' and 'check' around it",
    );
  const cluster = await existingKindCluster(name);
  const times = await upgradeKindCluster({
    cluster: cluster.name,
    target: cluster,
    to: o.to || pinnedKubernetesVersion(),
    log,
    ...(mark ? { mark } : {}),
  });
  // the upgrade's phase times, beside its baseline and recording (for the pipeline's report)
  mkdirSync(paths.upgradeDir, { recursive: true });
  writeFileSync(join(paths.upgradeDir, "upgrade-times.json"), `${JSON.stringify(times, null, 2)}\n`);
  return times;
}

export const clusterCommands: Command[] = [
  {
    words: "cluster up",
    summary:
      "create or reuse the default kind cluster (--shape prod: the production-shaped one, three control planes and a registry) and print its kubeconfig path",
    flags: ["node-image", "kubernetes-version", "shape"],
    settings: ["clusterName", "kubernetesVersion", "cacheDir", "goBinariesFrom", "kindBin"],
    examples: ["sts-conformance cluster up", "sts-conformance cluster up --shape prod"],
    run: async (o) => {
      if (o.shape === "prod") {
        if (o.nodeImage !== "auto")
          throw new HarnessError(
            "--shape prod is made from a node image built here (--kubernetes-version picks its Kubernetes): drop --node-image",
          );
        const prod = await ensureProdCluster(log, o.kubernetesVersion);
        process.stdout.write(`${prod.kubeconfigPath}\n`);
        return ExitCode.Ok;
      }
      const cluster = await ensureKindCluster({ nodeImage: o.nodeImage, kubernetesVersion: o.kubernetesVersion, log });
      process.stdout.write(`${cluster.kubeconfigPath}\n`);
      return ExitCode.Ok;
    },
  },
  {
    words: "cluster down",
    summary: "delete the default kind cluster (--shape prod: the production-shaped one and its registry)",
    flags: ["shape"],
    settings: ["clusterName", "kindBin"],
    examples: ["sts-conformance cluster down", "sts-conformance cluster down --shape prod"],
    run: async (o) => {
      await (o.shape === "prod" ? deleteProdCluster() : deleteKindCluster());
      return ExitCode.Ok;
    },
  },
  {
    words: "cluster stage",
    summary:
      "put Kubernetes --to V's kubeadm, kubelet, kubectl (in /kind/upgrade/V/) and images on every node of the kind cluster (--shape prod: the production-shaped one), as a package install does, for an upgrade runbook of your own (docs/examples/kubeadm-upgrade.sh)",
    flags: ["to", "shape"],
    settings: ["clusterName", "cacheDir", "goBinariesFrom"],
    examples: ["sts-conformance cluster stage --to v1.37.2 --shape prod", "sts-conformance cluster stage --to v1.37.2"],
    run: async (o) => {
      const name = o.shape === "prod" ? prodClusterName() : setting("clusterName");
      const cluster = await existingKindCluster(name);
      await stageUpgrade(await new KindCli().nodes(cluster.name), o.to || pinnedKubernetesVersion(), log);
      return ExitCode.Ok;
    },
  },
  {
    words: "cluster upgrade",
    summary: `upgrade the kind cluster in place (--to V): kubeadm upgrade apply, then each node cordoned, drained through the Eviction API, upgraded and uncordoned`,
    flags: ["to"],
    settings: ["clusterName", "upgradeDir", "cacheDir", "goBinariesFrom"],
    examples: ["sts-conformance cluster upgrade", "sts-conformance cluster upgrade --to v1.37.2"],
    run: async (o) => {
      await clusterUpgrade(o);
      return ExitCode.Ok;
    },
  },
];
