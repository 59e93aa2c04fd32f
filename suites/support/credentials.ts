// A kubeconfig whose user lacks the suite's rights (a ServiceAccount of its own), for the preflight's control.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as k8s from "@kubernetes/client-node";
import { paths } from "../../harness/config/paths.js";
import { withRetry } from "../../harness/kube/retry.js";
import type { Scenario } from "./scenario.js";

/**
 * A kubeconfig for a fresh service account of the scenario's namespace that has no rights at all
 * (read-only users and CI robots look like this to the suite), in a file that exists while `use`
 * runs: it holds a token, and a file per run would pile up in the state directory.
 */
export async function withKubeconfigWithoutRights<T>(s: Scenario, use: (path: string) => Promise<T>): Promise<T> {
  const name = "no-rights";
  await withRetry(() =>
    s.kube.core.createNamespacedServiceAccount({ namespace: s.namespace, body: { metadata: { name } } }),
  );
  const token = await withRetry(() =>
    s.kube.core.createNamespacedServiceAccountToken({
      namespace: s.namespace,
      name,
      body: { spec: { audiences: [], expirationSeconds: 600 } },
    }),
  );
  const cluster = s.kube.kc.getCurrentCluster() as k8s.Cluster;
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [cluster],
    users: [{ name, token: token.status?.token ?? "" }],
    contexts: [{ name, cluster: cluster.name, user: name }],
    currentContext: name,
  });
  mkdirSync(paths.stateDir, { recursive: true });
  const file = join(paths.stateDir, `${s.namespace}.kubeconfig`);
  writeFileSync(file, kc.exportConfig(), { mode: 0o600 });
  try {
    return await use(file);
  } finally {
    rmSync(file, { force: true });
  }
}
