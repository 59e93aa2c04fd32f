// The Job's results (deploy/job): after the run, its reports' files (summary.json, junit.xml, the
// storage matrix, …) as one tar.gz in a ConfigMap of the pod's namespace, so they outlive the pod
// and one kubectl command reads them (docs/in-cluster.md).
import { execa } from "execa";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Kube } from "../kube/client.js";
import { withRetry } from "../kube/retry.js";

/** A ConfigMap holds at most 1 MiB; what the archive may take of it. */
const maxArchiveBytes = 1000 * 1024;

export const resultsKey = "results.tar.gz";

/** Stores the reports' top-level files (not Allure's results, not the HTML report) in the ConfigMap `name`. */
export async function storeResults(kube: Kube, namespace: string, name: string, dir: string): Promise<string> {
  const files = readdirSync(dir).filter((f) => statSync(join(dir, f)).isFile());
  const archive = (await execa("tar", ["-cz", "-C", dir, ...files], { encoding: "buffer" })).stdout;
  if (archive.length > maxArchiveBytes)
    return `the results (${Math.round(archive.length / 1024)} KB) are larger than a ConfigMap holds: read them in the pod's log`;
  const body = {
    metadata: { name, namespace, labels: { "app.kubernetes.io/name": "sts-conformance" } },
    binaryData: { [resultsKey]: Buffer.from(archive).toString("base64") },
  };
  await withRetry(() =>
    kube.core.replaceNamespacedConfigMap({ name, namespace, body }).catch((e: { code?: number }) => {
      if (e.code !== 404) throw e;
      return kube.core.createNamespacedConfigMap({ namespace, body });
    }),
  );
  return `results (${files.join(", ")}) stored in ConfigMap ${namespace}/${name}`;
}
