// The one list of rights the suite uses, per resource and verb: the preflight asks each, and the
// in-cluster ClusterRole (deploy/rbac) is generated from it.
import type * as k8s from "@kubernetes/client-node";

/** A verb of Kubernetes' authorization. */
export type Verb = "get" | "list" | "watch" | "create" | "update" | "patch" | "delete" | "deletecollection";

/** What the suite does to one resource (or subresource), cluster-wide: it makes its own namespaces. */
export interface Right {
  group: string;
  resource: string;
  subresource?: string;
  verbs: Verb[];
}

const of =
  (group: string) =>
  (resource: string, verbs: Verb[], subresource?: string): Right => ({
    group,
    resource,
    verbs,
    ...(subresource ? { subresource } : {}),
  });
const core = of("");
const apps = of("apps");

/**
 * Every right the suite uses, the one list: the preflight asks each of the cluster
 * (SelfSubjectAccessReview) before any test, and the in-cluster ClusterRole is generated from it
 * (deploy/, `npm run manifests`). A call the suite makes that is not here is a defect.
 */
export const suiteRights: Right[] = [
  core("namespaces", ["get", "list", "watch", "create", "update", "delete"]),
  core("pods", ["get", "list", "watch", "create", "update", "delete", "deletecollection"]),
  core("pods", ["get"], "log"),
  // websocket exec is authorized as get before Kubernetes 1.31 and as create since
  core("pods", ["get", "create"], "exec"),
  core("pods", ["create"], "eviction"),
  core("persistentvolumeclaims", ["get", "list", "watch", "create", "update", "delete", "deletecollection"]),
  core("persistentvolumes", ["get", "list", "watch", "delete"]),
  core("services", ["get", "list", "create", "update"]),
  // the upgrade mode's baseline, and an in-cluster run's results (deploy/job)
  core("configmaps", ["get", "list", "watch", "create", "update"]),
  core("events", ["list", "watch"]),
  core("nodes", ["get", "list", "watch", "update", "patch"]),
  // the preflight's negative control: a token of a ServiceAccount with no rights, in its own namespace;
  // a new namespace's default ServiceAccount is awaited before any pod (namespace.ts)
  core("serviceaccounts", ["list", "watch", "create"]),
  core("serviceaccounts", ["create"], "token"),
  apps("statefulsets", ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"]),
  apps("statefulsets", ["update"], "status"),
  apps("statefulsets", ["get", "update"], "scale"),
  apps("controllerrevisions", ["get", "list", "watch"]),
  // the upgrade mode's writer (a DaemonSet: drains leave it) and its controls
  apps("daemonsets", ["create", "list", "watch", "deletecollection"]),
  apps("deployments", ["create", "list", "watch", "deletecollection"]),
  apps("replicasets", ["deletecollection"]),
  of("policy")("poddisruptionbudgets", ["create", "list", "watch"]),
  of("discovery.k8s.io")("endpointslices", ["list", "watch"]),
  // the run's tests take turns (the cluster alone, the fault node) by leases in the run's namespace
  of("coordination.k8s.io")("leases", ["create", "list", "watch", "delete"]),
  // a class that refuses (storage profiles' "not offered")
  of("storage.k8s.io")("storageclasses", ["get", "list", "create", "delete"]),
];

/** "create pods/eviction": a right as people and the preflight's refusal name it. */
export const rightName = (verb: Verb, r: Right): string =>
  `${verb} ${r.resource}${r.subresource ? `/${r.subresource}` : ""}`;

/** Each verb on each resource, as the attributes of one SelfSubjectAccessReview. */
export const accessReviews = (rights: Right[]): { name: string; attributes: k8s.V1ResourceAttributes }[] =>
  rights.flatMap((r) =>
    r.verbs.map((verb) => ({
      name: rightName(verb, r),
      attributes: {
        verb,
        resource: r.resource,
        ...(r.group ? { group: r.group } : {}),
        ...(r.subresource ? { subresource: r.subresource } : {}),
      },
    })),
  );

/** The rules of a ClusterRole granting exactly these rights: one rule per resource, as kubectl writes them. */
export const clusterRoleRules = (rights: Right[]): k8s.V1PolicyRule[] =>
  rights.map((r) => ({
    apiGroups: [r.group],
    resources: [r.subresource ? `${r.resource}/${r.subresource}` : r.resource],
    verbs: [...r.verbs],
  }));

/** The rights without one of them (a negative control's ServiceAccount lacks it). */
export function without(rights: Right[], name: string): Right[] {
  const left = rights.flatMap((r) => {
    const verbs = r.verbs.filter((v) => rightName(v, r) !== name);
    return verbs.length ? [{ ...r, verbs }] : [];
  });
  if (accessReviews(left).length === accessReviews(rights).length)
    throw new Error(`"${name}" is not one of the suite's rights`);
  return left;
}
