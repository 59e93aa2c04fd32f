// The preflight canary: one pod with one claim of the run's StorageClass, which looks up the
// cluster's own API Service by name and writes to its volume. It shows, in one short bounded
// step, what every scenario relies on: the class provisions, a node runs pods, cluster DNS
// answers. Each failure is one line naming the cause.
import type * as k8s from "@kubernetes/client-node";
import { privilegedPodRefusal } from "./node-pod.js";
import { fixtureImage } from "../config/image-build.js";
import { Timeouts } from "../config/timeouts.js";
import { HarnessError } from "../errors/harness-error.js";
import type { Kube } from "../kube/client.js";
import { createTestNamespace, releaseTestNamespace } from "../kube/namespace.js";
import { podState } from "../kube/pods.js";
import { withRetry } from "../kube/retry.js";
import { WaitTimeout, waitFor } from "../kube/watch.js";
import { watchOf } from "../kube/watch-of.js";

const name = "canary";
const dnsOk = "dns ok";
const writeOk = "write ok";

function canaryPod(image: string, dns: k8s.V1PodDNSConfig | undefined): k8s.V1Pod {
  return {
    metadata: { name },
    spec: {
      ...(dns ? { dnsPolicy: "None", dnsConfig: dns } : {}),
      restartPolicy: "Never",
      terminationGracePeriodSeconds: 1,
      containers: [
        {
          name,
          image,
          imagePullPolicy: "IfNotPresent",
          command: [
            "sh",
            "-c",
            // busybox nslookup ignores the search path: the full name, with the pod's cluster domain.
            `domain=$(awk '$1 == "search" { for (i = 2; i <= NF; i++) if (sub(/^svc\\./, "", $i)) { print $i; exit } }' /etc/resolv.conf); ` +
              `if timeout 5 nslookup "kubernetes.default.svc.\${domain:-cluster.local}" >/dev/null 2>&1; ` +
              `then echo '${dnsOk}'; else echo "dns failed: kubernetes.default.svc.\${domain:-cluster.local}"; fi; ` +
              `echo canary > /data/canary && sync /data/canary && echo '${writeOk}'`,
          ],
          volumeMounts: [{ name: "data", mountPath: "/data" }],
        },
      ],
      volumes: [{ name: "data", persistentVolumeClaim: { claimName: name } }],
    },
  };
}

/** The last event about an object, e.g. why a claim is still Pending. */
async function lastEvent(kube: Kube, namespace: string, kind: string): Promise<string | undefined> {
  const events = await kube.core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.kind=${kind}` });
  const last = events.items.sort((a, b) => String(a.lastTimestamp).localeCompare(String(b.lastTimestamp))).pop();
  return last ? `${last.reason}: ${last.message}` : undefined;
}

/** Why the canary did not finish in time, as one line naming the cause and what to do. */
async function diagnose(
  kube: Kube,
  namespace: string,
  storageClass: string,
  budgetMs: number,
  pod?: k8s.V1Pod,
): Promise<string> {
  const claim = await kube.core.readNamespacedPersistentVolumeClaim({ namespace, name });
  const budget = `${budgetMs / 1000} s`;
  if (claim.status?.phase !== "Bound") {
    const why = (await lastEvent(kube, namespace, "PersistentVolumeClaim")) ?? "no event says why";
    return `StorageClass "${storageClass}" did not provision a volume within ${budget} (the canary claim is ${claim.status?.phase}: ${why}); check that its provisioner runs, or pass --storage-class`;
  }
  const state = pod ? podState(pod) : "absent";
  return `the preflight canary pod did not finish within ${budget} (${state}); check that the nodes can run pods (kubectl describe nodes)`;
}

/** What the canary found: the volume its class made, and whether the cluster admits the node faults' privileged pod. */
export interface CanaryReport {
  volume?: k8s.V1PersistentVolume;
  /** "" when admitted, else the cluster's refusal. */
  privilegedPods: string;
}

/**
 * Runs the canary in a namespace of its own and deletes it (the run's end waits for the namespace object); throws a one-line HarnessError. With
 * `dns`, the pod asks that resolver instead of cluster DNS (the environment test's silent one).
 * Returns the volume the class provisioned for it (what a storage run without a profile infers the
 * class's topology from), read before the namespace goes, and whether a privileged pod on the
 * canary's node would be admitted (a server-side dry run).
 */
export async function runCanary(
  kube: Kube,
  storageClass: string,
  budgetMs: number = Timeouts.preflightCanaryMs,
  dns?: k8s.V1PodDNSConfig,
  claimSize = "16Mi",
): Promise<CanaryReport> {
  const namespace = await createTestNamespace(kube, "preflight canary");
  try {
    const claim: k8s.V1PersistentVolumeClaim = {
      metadata: { name },
      spec: {
        accessModes: ["ReadWriteOnce"],
        resources: { requests: { storage: claimSize } },
        storageClassName: storageClass,
      },
    };
    await withRetry(() => kube.core.createNamespacedPersistentVolumeClaim({ namespace, body: claim }));
    await withRetry(() => kube.core.createNamespacedPod({ namespace, body: canaryPod(fixtureImage(), dns) }));
    let pod: k8s.V1Pod | undefined;
    try {
      await waitFor(kube, {
        watch: watchOf.pod(kube, namespace, name),
        what: "the preflight canary to finish",
        timeoutMs: budgetMs,
        until: (current) => {
          pod = current.get(`${namespace}/${name}`);
          return ["Succeeded", "Failed"].includes(pod?.status?.phase ?? "");
        },
      });
    } catch (e) {
      if (e instanceof WaitTimeout)
        throw new HarnessError(await diagnose(kube, namespace, storageClass, budgetMs, pod));
      throw e;
    }
    const log = String(await kube.core.readNamespacedPodLog({ namespace, name, container: name }));
    if (!log.includes(dnsOk)) {
      throw new HarnessError(
        "cluster DNS does not answer from a pod (nslookup kubernetes.default.svc.<cluster domain> failed); check CoreDNS in kube-system (kubectl -n kube-system get pods -l k8s-app=kube-dns)",
      );
    }
    if (!log.includes(writeOk)) {
      throw new HarnessError(
        `a volume of StorageClass "${storageClass}" was provisioned but could not be written (${log.trim().split("\n").pop()}); check the class, or pass --storage-class`,
      );
    }
    const bound = await kube.core.readNamespacedPersistentVolumeClaim({ namespace, name });
    const volume = bound.spec?.volumeName;
    const node = (await kube.core.readNamespacedPod({ namespace, name })).spec?.nodeName ?? "";
    return {
      ...(volume ? { volume: await kube.core.readPersistentVolume({ name: volume }) } : {}),
      privilegedPods: (await privilegedPodRefusal(kube, namespace, node)) ?? "",
    };
  } finally {
    await releaseTestNamespace(kube, namespace);
  }
}
