// What the suite watches, named: one call (`watchOf.pods(kube, ns, selector)`) gives the
// collection's path, its list call and its selectors, for listWatch and waitFor (watch.ts).
import type * as k8s from "@kubernetes/client-node";
import type { Kube } from "./client.js";

/** A list call's result: the items and the resourceVersion to watch from. */
export interface Listed<T> {
  items: T[];
  metadata?: { resourceVersion?: string };
}

/** One collection to list and watch. Built by `watchOf`, never by hand in specs. */
export interface WatchSpec<T extends k8s.KubernetesObject> {
  /** What it is, for messages: "pods app=web in ns". */
  what: string;
  /** The collection's API path, e.g. /api/v1/namespaces/ns/pods. */
  path: string;
  list: () => Promise<Listed<T>>;
  labelSelector?: string;
  fieldSelector?: string;
}

/** One object of a collection, watched by its name. */
function named<T extends k8s.KubernetesObject>(
  what: string,
  path: string,
  name: string,
  list: (fieldSelector: string) => Promise<Listed<T>>,
): WatchSpec<T> {
  const fieldSelector = `metadata.name=${name}`;
  return { what, path, list: () => list(fieldSelector), fieldSelector };
}

/** The typed watch vocabulary: one call names what to watch; paths and selectors are derived. */
export const watchOf = {
  pods(kube: Kube, namespace: string, labelSelector?: string): WatchSpec<k8s.V1Pod> {
    return {
      what: `pods ${labelSelector ?? "(all)"} in ${namespace}`,
      path: `/api/v1/namespaces/${namespace}/pods`,
      list: () => kube.core.listNamespacedPod({ namespace, labelSelector }),
      labelSelector,
    };
  },
  pod(kube: Kube, namespace: string, name: string): WatchSpec<k8s.V1Pod> {
    return named(`pod ${namespace}/${name}`, `/api/v1/namespaces/${namespace}/pods`, name, (fieldSelector) =>
      kube.core.listNamespacedPod({ namespace, fieldSelector }),
    );
  },
  claims(kube: Kube, namespace: string): WatchSpec<k8s.V1PersistentVolumeClaim> {
    return {
      what: `claims in ${namespace}`,
      path: `/api/v1/namespaces/${namespace}/persistentvolumeclaims`,
      list: () => kube.core.listNamespacedPersistentVolumeClaim({ namespace }),
    };
  },
  set(kube: Kube, namespace: string, name: string): WatchSpec<k8s.V1StatefulSet> {
    return named(
      `StatefulSet ${namespace}/${name}`,
      `/apis/apps/v1/namespaces/${namespace}/statefulsets`,
      name,
      (fieldSelector) => kube.apps.listNamespacedStatefulSet({ namespace, fieldSelector }),
    );
  },
  pdb(kube: Kube, namespace: string, name: string): WatchSpec<k8s.V1PodDisruptionBudget> {
    return named(
      `PodDisruptionBudget ${namespace}/${name}`,
      `/apis/policy/v1/namespaces/${namespace}/poddisruptionbudgets`,
      name,
      (fieldSelector) => kube.policy.listNamespacedPodDisruptionBudget({ namespace, fieldSelector }),
    );
  },
  /**
   * A Lease: a node's kubelet renews its own (kube-node-lease/<node>), a leader-elected controller
   * its own (kube-system/<name>), every few seconds while it runs and reaches the API.
   */
  lease(kube: Kube, namespace: string, name: string): WatchSpec<k8s.V1Lease> {
    return named(
      `the Lease ${namespace}/${name}`,
      `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases`,
      name,
      (fieldSelector) => kube.coordination.listNamespacedLease({ namespace, fieldSelector }),
    );
  },
  /** The Leases of a namespace (the run's: who holds what). */
  leases(kube: Kube, namespace: string): WatchSpec<k8s.V1Lease> {
    return {
      what: `the Leases in ${namespace}`,
      path: `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases`,
      list: () => kube.coordination.listNamespacedLease({ namespace }),
    };
  },
  configMap(kube: Kube, namespace: string, name: string): WatchSpec<k8s.V1ConfigMap> {
    return named(
      `ConfigMap ${namespace}/${name}`,
      `/api/v1/namespaces/${namespace}/configmaps`,
      name,
      (fieldSelector) => kube.core.listNamespacedConfigMap({ namespace, fieldSelector }),
    );
  },
  serviceAccount(kube: Kube, namespace: string, name: string): WatchSpec<k8s.V1ServiceAccount> {
    return named(
      `ServiceAccount ${namespace}/${name}`,
      `/api/v1/namespaces/${namespace}/serviceaccounts`,
      name,
      (fieldSelector) => kube.core.listNamespacedServiceAccount({ namespace, fieldSelector }),
    );
  },
  namespace(kube: Kube, name: string): WatchSpec<k8s.V1Namespace> {
    return named(`namespace ${name}`, "/api/v1/namespaces", name, (fieldSelector) =>
      kube.core.listNamespace({ fieldSelector }),
    );
  },
  volumes(kube: Kube): WatchSpec<k8s.V1PersistentVolume> {
    return {
      what: "persistent volumes",
      path: "/api/v1/persistentvolumes",
      list: () => kube.core.listPersistentVolume(),
    };
  },
  /** The namespaces this run's tests created. */
  runNamespaces(kube: Kube, labelSelector: string): WatchSpec<k8s.V1Namespace> {
    return {
      what: "this run's namespaces",
      path: "/api/v1/namespaces",
      list: () => kube.core.listNamespace({ labelSelector }),
      labelSelector,
    };
  },
  deployment(kube: Kube, namespace: string, name: string): WatchSpec<k8s.V1Deployment> {
    return named(
      `Deployment ${namespace}/${name}`,
      `/apis/apps/v1/namespaces/${namespace}/deployments`,
      name,
      (fieldSelector) => kube.apps.listNamespacedDeployment({ namespace, fieldSelector }),
    );
  },
  /** The EndpointSlices of one Service. */
  endpointSlices(kube: Kube, namespace: string, service: string): WatchSpec<k8s.V1EndpointSlice> {
    const labelSelector = `kubernetes.io/service-name=${service}`;
    return {
      what: `endpoints of Service ${namespace}/${service}`,
      path: `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices`,
      list: () => kube.discovery.listNamespacedEndpointSlice({ namespace, labelSelector }),
      labelSelector,
    };
  },
  /** The ControllerRevisions of a namespace (its sets' template history). */
  revisions(kube: Kube, namespace: string): WatchSpec<k8s.V1ControllerRevision> {
    return {
      what: `controller revisions in ${namespace}`,
      path: `/apis/apps/v1/namespaces/${namespace}/controllerrevisions`,
      list: () => kube.apps.listNamespacedControllerRevision({ namespace }),
    };
  },
  /** Every pod on one node, in all namespaces (a drain's). */
  podsOnNode(kube: Kube, node: string): WatchSpec<k8s.V1Pod> {
    const fieldSelector = `spec.nodeName=${node}`;
    return {
      what: `pods on ${node}`,
      path: "/api/v1/pods",
      list: () => kube.core.listPodForAllNamespaces({ fieldSelector }),
      fieldSelector,
    };
  },
  nodes(kube: Kube): WatchSpec<k8s.V1Node> {
    return { what: "nodes", path: "/api/v1/nodes", list: () => kube.core.listNode() };
  },
  events(kube: Kube, namespace: string): WatchSpec<k8s.CoreV1Event> {
    return {
      what: `events in ${namespace}`,
      path: `/api/v1/namespaces/${namespace}/events`,
      list: () => kube.core.listNamespacedEvent({ namespace }),
    };
  },
};
