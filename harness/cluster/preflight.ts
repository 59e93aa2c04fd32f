// The preflight before any test: the API reachable, every right the suite uses, the StorageClass, a
// Ready node, and a canary pod with a claim that looks up cluster DNS; each failure one line.
import type * as k8s from "@kubernetes/client-node";
import { Timeouts } from "../config/timeouts.js";
import { HarnessError } from "../errors/harness-error.js";
import { Kube, type Target } from "../kube/client.js";
import { isNodeReady } from "../kube/nodes.js";
import { runCanary } from "./canary.js";
import { accessReviews, suiteRights } from "./rights.js";

export interface PreflightReport {
  server: string;
  version: string;
  storageClass: string;
  nodes: number;
  /** The volume the canary's claim was bound to (unless the probes were skipped). */
  canaryVolume?: k8s.V1PersistentVolume;
  /** "" when the cluster admits the node faults' privileged pod (or the probes were skipped), else its refusal. */
  privilegedPods: string;
}

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

/** A request the credentials were refused: one line saying which, never a stack trace. */
function refused(e: unknown, what: string): never {
  const code = (e as { code?: number }).code;
  if (code === 401 || code === 403) {
    throw new HarnessError(`the kubeconfig's user may not ${what} (HTTP ${code}); use credentials with that right`);
  }
  throw e;
}

/**
 * Checks, before any test, that the target can be used, each with a short bound and a one-line
 * answer (HarnessError, exit 2): reachable; the rights the suite needs (checked before anything
 * else is listed); a StorageClass; a node that takes pods; and, unless `skipProbes`, the canary:
 * the class provisions a writable volume and cluster DNS answers from a pod.
 */
export async function preflight(
  target: Target,
  opts: {
    storageClass?: string;
    skipProbes?: boolean;
    canaryMs?: number;
    canaryDns?: k8s.V1PodDNSConfig;
    claimSize?: string;
  } = {},
): Promise<PreflightReport> {
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
  if (!opts.skipProbes) await checkRights(kube);
  const storageClass = await chooseStorageClass(kube, opts.storageClass).catch((e) =>
    refused(e, "list storageclasses"),
  );
  const nodes = (await kube.core.listNode().catch((e) => refused(e, "list nodes"))).items;
  const usable = nodes.filter((n) => isNodeReady(n) && !n.spec?.unschedulable);
  if (usable.length === 0) {
    throw new HarnessError(
      `no node is Ready and schedulable (${nodes.length} node(s)); check the nodes (kubectl get nodes) and uncordon them`,
    );
  }
  const canary = opts.skipProbes
    ? { privilegedPods: "" }
    : await runCanary(kube, storageClass, opts.canaryMs, opts.canaryDns, opts.claimSize);
  return {
    server: kube.server,
    version: version.gitVersion,
    storageClass,
    nodes: nodes.length,
    ...(canary.volume ? { canaryVolume: canary.volume } : {}),
    privilegedPods: canary.privilegedPods,
  };
}

/** Every right the suite uses (rights.ts), by SelfSubjectAccessReview (which every authenticated user may ask). */
async function checkRights(kube: Kube): Promise<void> {
  const answers = await Promise.all(
    accessReviews(suiteRights).map(async ({ name, attributes }) => {
      const review = await kube.authz
        .createSelfSubjectAccessReview({ body: { spec: { resourceAttributes: attributes } } })
        .catch((e) => refused(e, "ask what it may do (SelfSubjectAccessReview)"));
      return review.status?.allowed ? [] : [name];
    }),
  );
  const denied = answers.flat();
  if (denied.length > 0) {
    throw new HarnessError(
      `${await kube.whoAmI()} may not: ${denied.join(", ")}; use credentials with these rights (the suite creates its own namespaces; in a cluster: the ClusterRole in deploy/)`,
    );
  }
}
