// A StorageClass made for one test (a fault outside its namespace), deleted when it is undone.
import type * as k8s from "@kubernetes/client-node";
import type { Kube } from "../kube/client.js";
import { Labels, managedByValue, runId } from "../kube/labels.js";
import { withRetry } from "../kube/retry.js";
import type { Fault } from "./undo.js";

/**
 * A StorageClass of the suite's own for one test (a class that cannot provision, one that
 * retains its volumes), labelled as the run's and deleted afterwards.
 */
export function temporaryStorageClass(kube: Kube, body: k8s.V1StorageClass): Fault {
  const name = body.metadata?.name ?? "";
  const labelled: k8s.V1StorageClass = {
    ...body,
    metadata: { ...body.metadata, labels: { [Labels.managedBy]: managedByValue, [Labels.run]: runId } },
  };
  const exists = () =>
    kube.storage.readStorageClass({ name }).then(
      () => true,
      (e: { code?: number }) => {
        if (e.code === 404) return false;
        throw e;
      },
    );
  return {
    what: `create StorageClass ${name}`,
    apply: async () => void (await withRetry(() => kube.storage.createStorageClass({ body: labelled }))),
    undo: async () => {
      if (await exists()) await withRetry(() => kube.storage.deleteStorageClass({ name }));
    },
    stillChanged: async () => ((await exists()) ? "still exists" : undefined),
  };
}
