import type * as k8s from "@kubernetes/client-node";
import { Timeouts } from "../config/timeouts.js";
import { HarnessError } from "../errors/harness-error.js";
import { Kube, type Target } from "../kube/client.js";

export interface PreflightReport {
  server: string;
  version: string;
  storageClass: string;
  nodes: number;
}

/** What the suite does to a cluster, checked with SelfSubjectAccessReview before any test. */
const requiredAccess: k8s.V1ResourceAttributes[] = [
  { verb: "create", resource: "namespaces" },
  { verb: "delete", resource: "namespaces" },
  { verb: "create", resource: "statefulsets", group: "apps" },
  { verb: "patch", resource: "statefulsets", group: "apps" },
  { verb: "delete", resource: "pods" },
  { verb: "create", resource: "pods", subresource: "exec" },
  { verb: "create", resource: "pods", subresource: "eviction" },
  { verb: "create", resource: "poddisruptionbudgets", group: "policy" },
  { verb: "delete", resource: "persistentvolumeclaims" },
  { verb: "watch", resource: "events" },
  { verb: "list", resource: "persistentvolumes" },
  { verb: "list", resource: "nodes" },
  { verb: "patch", resource: "nodes" },
];

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    // eslint-disable-next-line no-restricted-syntax -- a bound on one API request, not a wait
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s (${what})`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** The StorageClass the suite's volumes use: the one asked for, or the cluster's default. */
async function chooseStorageClass(kube: Kube, wanted: string | undefined): Promise<string> {
  const classes = (await kube.storage.listStorageClass()).items;
  const names = classes.map((c) => c.metadata?.name ?? "");
  if (wanted) {
    if (!names.includes(wanted)) {
      throw new HarnessError(
        `StorageClass "${wanted}" does not exist; pass --storage-class with one of: ${names.join(", ") || "(none)"}`,
      );
    }
    return wanted;
  }
  const isDefault = (c: k8s.V1StorageClass) =>
    c.metadata?.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true";
  const def = classes.find(isDefault)?.metadata?.name;
  if (!def) {
    throw new HarnessError(
      `the cluster has no default StorageClass; pass --storage-class with one of: ${names.join(", ") || "(none: install a provisioner first)"}`,
    );
  }
  return def;
}

/**
 * Checks, before any test, that the target can be used: reachable, a usable StorageClass, and the
 * permissions the suite needs. Every failure is one HarnessError line (exit code 2); nothing is
 * created or changed.
 */
export async function preflight(target: Target, opts: { storageClass?: string } = {}): Promise<PreflightReport> {
  const kube = Kube.fromTarget(target);
  let version: k8s.VersionInfo;
  try {
    version = await withTimeout(kube.version.getCode(), Timeouts.preflightRequestMs, "GET /version");
  } catch (e) {
    const why = (e as Error).message.split("\n")[0];
    throw new HarnessError(
      `cannot reach the API server at ${kube.server}: ${why}; check the cluster is running and --kubeconfig/--context point at it`,
    );
  }
  const storageClass = await chooseStorageClass(kube, opts.storageClass);
  const denied: string[] = [];
  for (const attrs of requiredAccess) {
    const review = await kube.authz.createSelfSubjectAccessReview({ body: { spec: { resourceAttributes: attrs } } });
    if (!review.status?.allowed)
      denied.push(`${attrs.verb} ${attrs.resource}${attrs.subresource ? `/${attrs.subresource}` : ""}`);
  }
  if (denied.length > 0) {
    throw new HarnessError(
      `the kubeconfig's user may not: ${denied.join(", ")}; use credentials with these permissions (the suite creates its own namespaces)`,
    );
  }
  const nodes = (await kube.core.listNode()).items.length;
  return { server: kube.server, version: version.gitVersion, storageClass, nodes };
}
