import { Kube } from "../../harness/kube/client.js";

/** The cluster under test, as chosen by the global setup (or by STS_KUBECONFIG/STS_CONTEXT). */
export function targetKube(): Kube {
  return Kube.fromTarget({ kubeconfigPath: process.env.STS_KUBECONFIG, context: process.env.STS_CONTEXT });
}

/** The kind cluster's name when the target is the kind cluster the suite manages. */
export const kindClusterName = (): string | undefined => process.env.STS_KIND_CLUSTER;
