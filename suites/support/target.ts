// The target the global setup chose, as the test workers read it.
import { setting } from "../../harness/config/settings.js";
import { Kube, type Target } from "../../harness/kube/client.js";

/** The target as the global setup chose it (or STS_KUBECONFIG/STS_CONTEXT), for what takes a Target (preflight). */
export const target = (): Target => ({
  kubeconfigPath: setting("kubeconfig") || undefined,
  context: setting("context") || undefined,
});

/** The cluster under test. */
export const targetKube = (): Kube => Kube.fromTarget(target());
