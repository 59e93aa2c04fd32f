// What the target cluster supports, asked before a test file's tests are defined, so a test that
// needs a feature the cluster lacks is skipped with the reason instead of failing.
import { fixtureImage } from "../../harness/config/image-build.js";
import type { RunCondition } from "../../harness/run/conditions.js";
import { webStatefulSet } from "../../fixtures/web-statefulset.js";
import { targetKube } from "./target.js";

/**
 * G31: whether the API server keeps `rollingUpdate.maxUnavailable` (the MaxUnavailableStatefulSet
 * gate; a server with it off drops the field). Asked with a server-side dry run in the `default`
 * namespace: nothing is created. When the question itself fails (no rights there), the tests run
 * and find out on their own set.
 */
export async function maxUnavailableKept(): Promise<RunCondition> {
  const reason = "the API server drops rollingUpdate.maxUnavailable: the MaxUnavailableStatefulSet gate is off";
  const body = webStatefulSet({ name: "sts-conformance-gate-probe", image: fixtureImage(), maxUnavailable: 2 });
  try {
    const set = await targetKube().apps.createNamespacedStatefulSet({ namespace: "default", body, dryRun: "All" });
    return { holds: set.spec?.updateStrategy?.rollingUpdate?.maxUnavailable !== undefined, reason };
  } catch {
    return { holds: true, reason };
  }
}
