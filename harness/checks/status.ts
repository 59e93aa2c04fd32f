// The status check: what the set's status and /scale say against the pods it has (G34 G35).
import type * as k8s from "@kubernetes/client-node";
import type { PodSnapshot } from "../timeline/entry.js";
import type { Violation } from "../verdict/violation.js";

/**
 * G34: once the controller has observed the latest spec, the set's status counts what the
 * timeline shows of its live pods: replicas (created), readyReplicas, availableReplicas (Ready;
 * the set has no minReadySeconds), currentReplicas and updatedReplicas (at each revision); and
 * G35: the scale subresource reports the same replicas and the set's selector.
 */
export function checkStatus(
  set: k8s.V1StatefulSet,
  scale: k8s.V1Scale,
  pods: PodSnapshot[],
  selector: string,
): Violation[] {
  const st = set.status;
  const live = pods.filter((p) => !p.terminating);
  const ready = live.filter((p) => p.ready).length;
  const at = (revision?: string) => live.filter((p) => p.revision === revision).length;
  const expected: [string, string, number | string | undefined, number | string][] = [
    ["G34", "status.replicas", st?.replicas, live.length],
    ["G34", "status.readyReplicas", st?.readyReplicas ?? 0, ready],
    ["G34", "status.availableReplicas", st?.availableReplicas ?? 0, ready],
    ["G34", "status.currentReplicas", st?.currentReplicas ?? 0, at(st?.currentRevision)],
    ["G34", "status.updatedReplicas", st?.updatedReplicas ?? 0, at(st?.updateRevision)],
    ["G35", "scale spec.replicas", scale.spec?.replicas, set.spec?.replicas ?? 0],
    ["G35", "scale status.replicas", scale.status?.replicas, st?.replicas ?? 0],
    ["G35", "scale status.selector", scale.status?.selector, selector],
  ];
  return expected
    .filter(([, , seen, want]) => seen !== want)
    .map(([guarantee, field, seen, want]) => ({
      guarantee,
      pod: set.metadata?.name ?? "",
      expected: `${field} = ${want} (what the pods show)`,
      seen: String(seen),
    }));
}
