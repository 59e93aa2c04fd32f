import { setting } from "../../harness/config/settings.js";
import { Kube, type Target } from "../../harness/kube/client.js";

/** The cluster under test, as chosen by the global setup (or by STS_KUBECONFIG/STS_CONTEXT). */
export function targetKube(): Kube {
  return Kube.fromTarget({
    kubeconfigPath: setting("kubeconfig") || undefined,
    context: setting("context") || undefined,
  });
}

/** The kind cluster's name when the target is the kind cluster the suite manages. */
export const kindClusterName = (): string | undefined => setting("kindCluster") || undefined;

/** The target as the global setup chose it, for what takes a Target (preflight). */
export const target = (): Target => ({
  kubeconfigPath: setting("kubeconfig") || undefined,
  context: setting("context") || undefined,
});
