// Where a command points: the kubeconfig given (flag or setting), the cluster a pod runs in, or the
// suite's kind cluster (made, reused, or taken as it is); and the kind cluster a command made, deleted
// at its end unless kept.
import { deleteKindCluster, ensureKindCluster, existingKindCluster, kindTargetSettings } from "../cluster/provision.js";
import { setting, settingsEnv } from "../config/settings.js";
import { inPod } from "../in-cluster/pod.js";
import type { Target } from "../kube/client.js";
import { log, type RunOptions } from "./command.js";

/** A command's target and what its test runner is told of it. */
export interface Resolved {
  target: Target;
  env: Record<string, string>;
  /** The kind cluster this command created (deleted at its end unless kept). */
  created?: string;
}

/**
 * The target of a command: the kubeconfig given (flag or setting), or the kind cluster, made or
 * reused ("ensure"; one at another Kubernetes refused, "ensure-any-version" used as it is: `upgrade
 * prepare`'s cluster to upgrade), or taken as it is ("existing": the upgrade mode's commands after
 * prepare work on a cluster upgraded in place, which must never be recreated).
 */
export async function resolveTarget(
  o: RunOptions,
  kind: "ensure" | "ensure-any-version" | "existing",
): Promise<Resolved> {
  // a flag over its setting: `STS_KUBECONFIG=… npm test` reaches the CLI as the environment
  const kubeconfig = o.kubeconfig ?? setting("kubeconfig");
  const context = o.context ?? (setting("context") || undefined);
  if (kubeconfig !== undefined || context) {
    // "" = the default kubeconfig ($KUBECONFIG, ~/.kube/config)
    const env = settingsEnv({ kubeconfig: kubeconfig ?? "", context: context ?? "" });
    return { target: { kubeconfigPath: kubeconfig || undefined, context }, env };
  }
  if (inPod()) {
    // client-node's default kubeconfig is the pod's own (in-cluster) when there is no file
    log("inside a pod: testing the cluster it runs in, as the pod's ServiceAccount");
    return { target: {}, env: settingsEnv({ kubeconfig: "" }) };
  }
  const cluster =
    kind === "existing"
      ? await existingKindCluster()
      : await ensureKindCluster({
          nodeImage: o.nodeImage,
          kubernetesVersion: o.kubernetesVersion,
          anyVersion: kind === "ensure-any-version",
          log,
        });
  return {
    target: { kubeconfigPath: cluster.kubeconfigPath, context: cluster.context },
    env: settingsEnv(kindTargetSettings(cluster)),
    ...(cluster.reused ? {} : { created: cluster.name }),
  };
}

/** Whether a command targets another cluster than the suite's kind one: a kubeconfig given, or run inside a pod. */
export const otherCluster = (o: RunOptions): boolean =>
  (o.kubeconfig ?? setting("kubeconfig")) !== undefined || inPod();

/** Deletes the kind cluster a command created, unless asked to keep it. */
export async function dropCreated(o: RunOptions, created: string | undefined): Promise<void> {
  if (!created || o.keepCluster || setting("keepCluster")) return;
  log(`deleting kind cluster "${created}" (created by this run; --keep-cluster keeps it)`);
  await deleteKindCluster(created);
}
