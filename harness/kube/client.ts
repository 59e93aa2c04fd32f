// The Kubernetes client of a target (a kubeconfig and context, or the pod's own ServiceAccount).
import * as k8s from "@kubernetes/client-node";
import { HarnessError } from "../errors/harness-error.js";

/** Where the suite points: a kubeconfig file (default: $KUBECONFIG or ~/.kube/config) and context. */
export interface Target {
  kubeconfigPath?: string;
  context?: string;
}

/** Typed API clients for one target cluster. */
export class Kube {
  readonly core: k8s.CoreV1Api;
  readonly apps: k8s.AppsV1Api;
  readonly storage: k8s.StorageV1Api;
  readonly policy: k8s.PolicyV1Api;
  readonly authz: k8s.AuthorizationV1Api;
  readonly version: k8s.VersionApi;
  readonly discovery: k8s.DiscoveryV1Api;
  readonly coordination: k8s.CoordinationV1Api;
  readonly authn: k8s.AuthenticationV1Api;

  constructor(readonly kc: k8s.KubeConfig) {
    this.core = kc.makeApiClient(k8s.CoreV1Api);
    this.apps = kc.makeApiClient(k8s.AppsV1Api);
    this.storage = kc.makeApiClient(k8s.StorageV1Api);
    this.policy = kc.makeApiClient(k8s.PolicyV1Api);
    this.authz = kc.makeApiClient(k8s.AuthorizationV1Api);
    this.version = kc.makeApiClient(k8s.VersionApi);
    this.discovery = kc.makeApiClient(k8s.DiscoveryV1Api);
    this.coordination = kc.makeApiClient(k8s.CoordinationV1Api);
    this.authn = kc.makeApiClient(k8s.AuthenticationV1Api);
  }

  static fromTarget(target: Target): Kube {
    const kc = new k8s.KubeConfig();
    try {
      if (target.kubeconfigPath) kc.loadFromFile(target.kubeconfigPath);
      else kc.loadFromDefault();
    } catch (e) {
      const where = target.kubeconfigPath ?? "the default kubeconfig";
      throw new HarnessError(
        `cannot read ${where}: ${(e as Error).message.split("\n")[0]}; pass --kubeconfig with a valid file`,
      );
    }
    if (target.context) {
      if (!kc.getContexts().some((c) => c.name === target.context)) {
        throw new HarnessError(
          `context "${target.context}" is not in the kubeconfig; choose one of: ${
            kc
              .getContexts()
              .map((c) => c.name)
              .join(", ") || "(none)"
          }`,
        );
      }
      kc.setCurrentContext(target.context);
    }
    if (!kc.getCurrentCluster()) {
      throw new HarnessError(
        "the kubeconfig names no current cluster; pass --kubeconfig and --context for the cluster to test",
      );
    }
    return new Kube(kc);
  }

  /**
   * Who these credentials are, for messages: the user the API server authenticates
   * (SelfSubjectReview), named by where they come from.
   */
  async whoAmI(): Promise<string> {
    const source =
      this.kc.getCurrentUser()?.name === "inClusterUser" ? "the pod's ServiceAccount" : "the kubeconfig's user";
    const review = await this.authn.createSelfSubjectReview({ body: {} }).catch(() => undefined);
    const name = review?.status?.userInfo?.username;
    return name ? `${source} ${name}` : source;
  }

  /** The API server's address, for messages. */
  get server(): string {
    return this.kc.getCurrentCluster()?.server ?? "(unknown)";
  }
}
