// What a scenario reads from inside its pods and from the API: shell output, payload hashes,
// identities, claims. An exec that fails is inconclusive (see harness/kube/exec.ts).
import type * as k8s from "@kubernetes/client-node";
import { shInPod } from "../../harness/kube/exec.js";
import { withRetry } from "../../harness/kube/retry.js";
import { clusterDomainFrom } from "../../harness/kube/dns.js";
import { podName, revisionOf } from "../../harness/statefulset/naming.js";
import type { SetRevision } from "../../harness/checks/revision-history.js";
import type { PodIdentity } from "../../harness/checks/identity.js";
import { journalFile, payloadFile, webContainer, writePayload } from "../../fixtures/web-pod.js";
import { parseJournal } from "../../harness/workload/ledger.js";
import { pinnedNodes } from "../../harness/storage/expectations.js";
import type { ScenarioContext } from "./context.js";

/** A pod of the scenario: the set's ordinal, or a pod's name (e.g. one a control's Deployment made). */
export type PodRef = number | string;

export class Probes {
  /** A scenario's, or any set's in a namespace (the upgrade check reads sets it did not make). */
  constructor(private readonly c: Pick<ScenarioContext, "kube" | "namespace" | "set" | "selector">) {}

  sh(pod: PodRef, script: string): Promise<string> {
    return shInPod(this.c.kube, this.c.namespace, this.nameOf(pod), script, webContainer);
  }

  private nameOf(pod: PodRef): string {
    return typeof pod === "number" ? podName(this.c.set, pod) : pod;
  }

  /** Runs `script` in every pod 0..n-1 (e.g. making them all unready). */
  async shAll(n: number, script: string): Promise<void> {
    await Promise.all(Array.from({ length: n }, (_, i) => this.sh(i, script)));
  }

  /** Writes 64 KiB of fresh random bytes to the pod's volume, with fsync; returns their sha256. */
  async writePayload(ordinal: number): Promise<string> {
    return (await this.sh(ordinal, writePayload)).split(" ")[0] ?? "";
  }

  /** The payload hash of every pod 0..n-1 ("" where the payload is missing). */
  async payloads(n: number): Promise<Map<string, string>> {
    const hashOf = async (i: number) =>
      (await this.sh(i, `sha256sum ${payloadFile} 2>/dev/null || true`)).split(" ")[0]?.trim() ?? "";
    return new Map(
      await Promise.all(Array.from({ length: n }, async (_, i) => [podName(this.c.set, i), await hashOf(i)] as const)),
    );
  }

  /** The namespace's claims: name -> bound volume name ("" while unbound). */
  async claims(): Promise<Map<string, string>> {
    const list = await this.c.kube.core.listNamespacedPersistentVolumeClaim({ namespace: this.c.namespace });
    return new Map(list.items.map((c) => [c.metadata?.name ?? "", c.spec?.volumeName ?? ""]));
  }

  /**
   * The pod's identity as it is now: UID, hostname (from inside), spec.hostname and subdomain,
   * the FQDN the kubelet published for it (/etc/hosts) and the one it must have (cluster domain
   * from its resolv.conf), claim, volume, payload hash.
   */
  async identity(ref: PodRef): Promise<PodIdentity> {
    const name = this.nameOf(ref);
    const pod = await this.c.kube.core.readNamespacedPod({ namespace: this.c.namespace, name });
    const claim = pod.spec?.volumes?.find((v) => v.name === "data")?.persistentVolumeClaim?.claimName ?? "";
    const [hostname = "", fqdn = "", dataSha = "", ...resolv] = (
      await this.sh(
        name,
        // One line per field, empty when missing, so the fields cannot shift.
        `printf '%s\\n' "$(hostname)" "$(awk -v ip="$(hostname -i 2>/dev/null)" '$1 == ip {print $2; exit}' /etc/hosts)" ` +
          `"$(sha256sum ${payloadFile} 2>/dev/null | cut -d' ' -f1)"; cat /etc/resolv.conf`,
      )
    ).split("\n");
    const service = pod.spec?.subdomain ?? "";
    const domain = clusterDomainFrom(resolv.join("\n")) ?? "(no cluster domain in resolv.conf)";
    return {
      pod: name,
      uid: pod.metadata?.uid ?? "",
      hostname: hostname.trim(),
      specHostname: pod.spec?.hostname ?? "",
      subdomain: service,
      fqdn: fqdn.trim(),
      expectedFqdn: `${name}.${service}.${this.c.namespace}.svc.${domain}`,
      claim,
      volume: claim ? ((await this.claims()).get(claim) ?? "") : "",
      dataSha: dataSha.trim(),
    };
  }

  /** One claim of the namespace, as it is now. */
  claim(name: string): Promise<k8s.V1PersistentVolumeClaim> {
    return withRetry(() => this.c.kube.core.readNamespacedPersistentVolumeClaim({ namespace: this.c.namespace, name }));
  }

  /** The volume a claim (by name, or as read) is bound to; undefined while unbound. */
  async volume(claim: string | k8s.V1PersistentVolumeClaim): Promise<k8s.V1PersistentVolume | undefined> {
    const bound = typeof claim === "string" ? await this.claim(claim) : claim;
    const name = bound.spec?.volumeName;
    return name ? withRetry(() => this.c.kube.core.readPersistentVolume({ name })) : undefined;
  }

  /**
   * The nodes a claim's volume can be used from, when its PersistentVolume is pinned (local-path
   * and other node-local storage); empty when it can be attached anywhere.
   */
  async volumeNodes(claim: string): Promise<string[]> {
    return pinnedNodes(await this.volume(claim));
  }

  /** Each member's journal (the workload's records on its volume), members 0..n-1. */
  async journals(n: number): Promise<Map<string, number[]>> {
    const read = async (i: number) =>
      [podName(this.c.set, i), parseJournal(await this.sh(i, `cat ${journalFile} 2>/dev/null || true`))] as const;
    return new Map(await Promise.all(Array.from({ length: n }, (_, i) => read(i))));
  }

  /** The set's pods as they are now. */
  async pods(): Promise<k8s.V1Pod[]> {
    const { kube, namespace, selector } = this.c;
    return (await withRetry(() => kube.core.listNamespacedPod({ namespace, labelSelector: selector }))).items;
  }

  /** A pod as it is now; undefined once it is gone. */
  async pod(ref: PodRef): Promise<k8s.V1Pod | undefined> {
    const { kube, namespace } = this.c;
    return withRetry(() => kube.core.readNamespacedPod({ namespace, name: this.nameOf(ref) })).catch(
      (e: { code?: number }) => (e.code === 404 ? undefined : Promise.reject(e)),
    );
  }

  /** The namespace's Services and claims, as they are now (what a set's deletion leaves). */
  async servicesAndClaims(): Promise<{ services: k8s.V1Service[]; claims: k8s.V1PersistentVolumeClaim[] }> {
    const { kube, namespace } = this.c;
    const [services, claims] = await Promise.all([
      withRetry(() => kube.core.listNamespacedService({ namespace })),
      withRetry(() => kube.core.listNamespacedPersistentVolumeClaim({ namespace })),
    ]);
    return { services: services.items, claims: claims.items };
  }

  /** The set's /scale subresource. */
  scale(): Promise<k8s.V1Scale> {
    return withRetry(() =>
      this.c.kube.apps.readNamespacedStatefulSetScale({ namespace: this.c.namespace, name: this.c.set }),
    );
  }

  /** The cluster's nodes. */
  async nodes(): Promise<k8s.V1Node[]> {
    return (await withRetry(() => this.c.kube.core.listNode())).items;
  }

  /** The set as the API server has it now (spec and status). */
  set(): Promise<k8s.V1StatefulSet> {
    return withRetry(() =>
      this.c.kube.apps.readNamespacedStatefulSet({ namespace: this.c.namespace, name: this.c.set }),
    );
  }

  /** The Kubernetes version of the cluster, for reports of behaviour that changed between versions. */
  async serverVersion(): Promise<string> {
    return (await withRetry(() => this.c.kube.version.getCode())).gitVersion;
  }

  /**
   * The namespace's ControllerRevisions (the scenario's set is the only owner there), and the
   * live ones: currentRevision, updateRevision and every revision a pod of the set was made from.
   */
  async revisions(): Promise<{ kept: SetRevision[]; live: string[] }> {
    const set = await this.set();
    const [list, pods] = await Promise.all([
      withRetry(() => this.c.kube.apps.listNamespacedControllerRevision({ namespace: this.c.namespace })),
      withRetry(() =>
        this.c.kube.core.listNamespacedPod({ namespace: this.c.namespace, labelSelector: this.c.selector }),
      ),
    ]);
    const kept = list.items.map((r) => ({
      name: r.metadata?.name ?? "",
      revision: r.revision,
      ownedBySet: (r.metadata?.ownerReferences ?? []).some((o) => o.controller && o.uid === set.metadata?.uid),
    }));
    const live = [set.status?.currentRevision, set.status?.updateRevision, ...pods.items.map(revisionOf)];
    return { kept, live: [...new Set(live.filter((r) => r !== undefined))] };
  }
}
