// A scenario: one labelled namespace, one web StatefulSet, a timeline recorder running from the
// start, and on failure the evidence (timeline, pod logs, events, object dumps) in the report.
import { afterAll, test } from "@jest/globals";
import type * as k8s from "@kubernetes/client-node";
import { fixtureImage } from "../../harness/config/images.js";
import { setting } from "../../harness/config/settings.js";
import { Timeouts } from "../../harness/config/timeouts.js";
import type { Kube } from "../../harness/kube/client.js";
import { shInPod } from "../../harness/kube/exec.js";
import { createTestNamespace, deleteTestNamespace } from "../../harness/kube/namespace.js";
import { isReady, waitForPod } from "../../harness/kube/pods.js";
import { withRetry } from "../../harness/kube/retry.js";
import { createSet, scaleSet, waitForReadyPods, waitForSet } from "../../harness/kube/statefulsets.js";
import type { PodIdentity } from "../../harness/timeline/identity.js";
import { clusterDomainFrom } from "../../harness/kube/dns.js";
import { podName } from "../../harness/statefulset/naming.js";
import { GuaranteeBroken, Inconclusive } from "../../harness/verdict/verdict.js";
import { attach } from "../../harness/report/step.js";
import { measure } from "../../harness/report/measure.js";
import { clusterBoundMs } from "../../harness/timeline/cluster-time.js";
import { formatEntry } from "../../harness/timeline/entry.js";
import { formatGap, formatViolation, type CheckResult, type Violation } from "../../harness/timeline/invariants.js";
import { quietWindow } from "../../harness/timeline/quiet-window.js";
import { TimelineRecorder } from "../../harness/timeline/recorder.js";
import {
  appLabel,
  dataDir,
  headlessService,
  webContainer,
  webStatefulSet,
  type WebSetOptions,
} from "../../fixtures/web-statefulset.js";
import { targetKube } from "./target.js";

export class Scenario {
  readonly selector: string;

  private constructor(
    readonly kube: Kube,
    readonly namespace: string,
    readonly set: string,
    readonly recorder: TimelineRecorder,
  ) {
    this.selector = `${appLabel}=${set}`;
  }

  static async open(testName: string, set = "web"): Promise<Scenario> {
    const kube = targetKube();
    const namespace = await createTestNamespace(kube, testName);
    const recorder = await new TimelineRecorder(kube, namespace, set, `${appLabel}=${set}`).start();
    return new Scenario(kube, namespace, set, recorder);
  }

  /** The web set of this scenario, on the run's fixture image and StorageClass. */
  webSet(o: Omit<WebSetOptions, "name" | "image"> = {}): k8s.V1StatefulSet {
    return webStatefulSet({
      name: this.set,
      image: fixtureImage(),
      storageClass: setting("storageClass") || undefined,
      ...o,
    });
  }

  /**
   * Creates the set and its headless Service (none with `service: "none"`; one that also publishes
   * unready pods with "publish-not-ready"); marks the timeline.
   */
  async create(
    set: k8s.V1StatefulSet,
    o: { service?: "headless" | "publish-not-ready" | "none" } = {},
  ): Promise<number> {
    const mark = this.recorder.mark(
      `create ${this.set} with ${set.spec?.replicas} replicas (${set.spec?.podManagementPolicy})`,
    );
    const publishNotReadyAddresses = o.service === "publish-not-ready";
    const service = o.service === "none" ? undefined : headlessService({ name: this.set, publishNotReadyAddresses });
    await createSet(this.kube, this.namespace, set, service);
    return mark;
  }

  /** Deletes the set (its pods go with it, or stay as orphans); marks the timeline. */
  async deleteSet(propagation: "Background" | "Orphan"): Promise<number> {
    const mark = this.recorder.mark(`delete set ${this.set} (${propagation})`);
    await withRetry(() =>
      this.kube.apps.deleteNamespacedStatefulSet({
        namespace: this.namespace,
        name: this.set,
        propagationPolicy: propagation,
      }),
    );
    return mark;
  }

  async scale(replicas: number): Promise<number> {
    const mark = this.recorder.mark(`scale ${this.set} to ${replicas}`);
    await scaleSet(this.kube, this.namespace, this.set, replicas);
    return mark;
  }

  /** Creates the web set with these options and waits until all its pods are Ready. */
  async readySet(o: Omit<WebSetOptions, "name" | "image">): Promise<number> {
    const mark = await this.create(this.webSet(o));
    await this.readyPods(o.replicas ?? 3);
    return mark;
  }

  /** Waits until pods 0..n-1 exactly exist and are Running and Ready. */
  async readyPods(n: number): Promise<Map<string, k8s.V1Pod>> {
    const names = Array.from({ length: n }, (_, i) => podName(this.set, i));
    return waitForReadyPods(this.kube, this.namespace, this.selector, names);
  }

  /** Waits until the controller itself has seen `ready` Ready replicas (not just our watch). */
  async controllerSeesReady(ready: number): Promise<void> {
    await waitForSet(
      this.kube,
      this.namespace,
      this.set,
      `status.readyReplicas=${ready}`,
      (s) => (s.status?.readyReplicas ?? 0) === ready,
    );
  }

  /** The namespace's claims: name -> bound volume name ("" while unbound). */
  async claims(): Promise<Map<string, string>> {
    const list = await this.kube.core.listNamespacedPersistentVolumeClaim({ namespace: this.namespace });
    return new Map(list.items.map((c) => [c.metadata?.name ?? "", c.spec?.volumeName ?? ""]));
  }

  /**
   * G10's observation: which of `claims` get deleted during a quiet window (or were already gone
   * when it began). Empty when the claims were kept, as the default Retain policy promises.
   */
  async claimsLostInWindow(claims: string[], fromSeq: number): Promise<string[]> {
    const deleted = await quietWindow(
      this.recorder,
      fromSeq,
      Timeouts.quietWindowMs,
      (e) => e.kind === "PersistentVolumeClaim" && e.type === "DELETED" && claims.includes(e.name),
    );
    const present = await this.claims();
    return [...new Set([...deleted.map((e) => e.name), ...claims.filter((c) => !present.has(c))])];
  }

  /** Runs `script` in every pod 0..n-1 (e.g. making them all unready). */
  async shAll(n: number, script: string): Promise<void> {
    await Promise.all(Array.from({ length: n }, (_, i) => this.sh(i, script)));
  }

  /** Writes 64 KiB of fresh random bytes to the pod's volume, with fsync; returns their sha256. */
  async writePayload(ordinal: number): Promise<string> {
    const out = await this.sh(
      ordinal,
      `head -c 65536 /dev/urandom > ${dataDir}/payload && sync ${dataDir}/payload && sha256sum ${dataDir}/payload`,
    );
    return out.split(" ")[0] ?? "";
  }

  /** The payload hash of every pod 0..n-1 ("" where the payload is missing). */
  async payloads(n: number): Promise<Map<string, string>> {
    return new Map(
      await Promise.all(
        Array.from({ length: n }, async (_, i) => [podName(this.set, i), await this.payloadOf(i)] as const),
      ),
    );
  }

  private async payloadOf(ordinal: number): Promise<string> {
    return (await this.sh(ordinal, `sha256sum ${dataDir}/payload 2>/dev/null || true`)).split(" ")[0]?.trim() ?? "";
  }

  /**
   * The pod's identity as it is now: UID, hostname (from inside), spec.hostname and subdomain,
   * the FQDN the kubelet published for it (/etc/hosts) and the one it must have (cluster domain
   * from its resolv.conf), claim, volume, payload hash.
   */
  async identity(ordinal: number): Promise<PodIdentity> {
    const name = podName(this.set, ordinal);
    const pod = await this.kube.core.readNamespacedPod({ namespace: this.namespace, name });
    const claim = pod.spec?.volumes?.find((v) => v.name === "data")?.persistentVolumeClaim?.claimName ?? "";
    const [hostname = "", fqdn = "", dataSha = "", ...resolv] = (
      await this.sh(
        ordinal,
        // One line per field, empty when missing, so the fields cannot shift.
        `printf '%s\\n' "$(hostname)" "$(awk -v ip="$(hostname -i 2>/dev/null)" '$1 == ip {print $2; exit}' /etc/hosts)" ` +
          `"$(sha256sum ${dataDir}/payload 2>/dev/null | cut -d' ' -f1)"; cat /etc/resolv.conf`,
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
      expectedFqdn: `${name}.${service}.${this.namespace}.svc.${domain}`,
      claim,
      volume: claim ? ((await this.claims()).get(claim) ?? "") : "",
      dataSha: dataSha.trim(),
    };
  }

  /** Deletes a pod gracefully (its own grace period); marks the timeline. */
  async deletePod(ordinal: number): Promise<number> {
    const name = podName(this.set, ordinal);
    const mark = this.recorder.mark(`delete pod ${name}`);
    await withRetry(() => this.kube.core.deleteNamespacedPod({ namespace: this.namespace, name }));
    return mark;
  }

  /** Waits until the pod of `ordinal` exists and `check` holds for it. */
  podWhere(ordinal: number, what: string, check: (p: k8s.V1Pod) => boolean): Promise<k8s.V1Pod> {
    return waitForPod(this.kube, this.namespace, podName(this.set, ordinal), what, check, Timeouts.setSettleMs);
  }

  /** Waits until the pod of `ordinal` is Running and Ready (not terminating) and `check` holds. */
  podReadyWhere(ordinal: number, what: string, check: (p: k8s.V1Pod) => boolean): Promise<k8s.V1Pod> {
    return this.podWhere(ordinal, `Ready and ${what}`, (p) => isReady(p) && !p.metadata?.deletionTimestamp && check(p));
  }

  sh(ordinal: number, script: string): Promise<string> {
    return shInPod(this.kube, this.namespace, podName(this.set, ordinal), script, webContainer);
  }

  /**
   * Runs a check once the recorder has caught up with the cluster (the barrier). Held: no
   * violation and no gap that could hide one. BROKEN: each violation with the timeline around
   * the first. Inconclusive: a gap over the checked window that may hide a violation.
   */
  async assertHeld(check: () => CheckResult | Violation[]): Promise<void> {
    const { violations, gaps } = await this.judge(check);
    if (violations.length > 0) {
      const text = this.explain(violations);
      await attach("violations", text);
      throw new GuaranteeBroken(text);
    }
    if (gaps.length > 0) throw new Inconclusive(gaps.map(formatGap).join("; "));
  }

  /**
   * A negative control's assertion: the same check, on a deliberately broken fixture, must flag
   * it. A gap without a violation is inconclusive; no violation at all means the checker missed.
   */
  async assertFlagged(check: () => CheckResult | Violation[]): Promise<void> {
    const { violations, gaps } = await this.judge(check);
    if (violations.length > 0) return attach("flagged (as it must be)", this.explain(violations));
    if (gaps.length > 0) throw new Inconclusive(gaps.map(formatGap).join("; "));
    throw new GuaranteeBroken("the checker did not flag the broken fixture: it cannot fail");
  }

  private async judge(check: () => CheckResult | Violation[]): Promise<CheckResult> {
    await this.recorder.catchUp();
    const r = check();
    return Array.isArray(r) ? { violations: r, gaps: [] } : r;
  }

  private explain(violations: Violation[]): string {
    const first = violations.find((v) => v.seq !== undefined)?.seq ?? this.recorder.entries.length - 1;
    const around = this.recorder.entries.filter((e) => e.seq >= first - 8 && e.seq <= first + 4);
    return [...violations.map(formatViolation), "", "timeline around it:", ...around.map(formatEntry)].join("\n");
  }

  /** Timeline, pod logs, events and object dumps, attached to the report. */
  async diagnostics(): Promise<void> {
    const ns = this.namespace;
    const pods = await this.kube.core.listNamespacedPod({ namespace: ns }).catch(() => undefined);
    for (const pod of pods?.items ?? []) {
      const name = pod.metadata?.name ?? "";
      const log = await this.kube.core
        .readNamespacedPodLog({ namespace: ns, name, container: pod.spec?.containers[0]?.name })
        .catch((e: Error) => `(no log: ${e.message})`);
      await attach(`log ${name}`, String(log));
    }
    const dumps = {
      statefulsets: await this.kube.apps.listNamespacedStatefulSet({ namespace: ns }).catch(() => undefined),
      pods,
      persistentvolumeclaims: await this.kube.core
        .listNamespacedPersistentVolumeClaim({ namespace: ns })
        .catch(() => undefined),
      events: await this.kube.core.listNamespacedEvent({ namespace: ns }).catch(() => undefined),
    };
    for (const [kind, list] of Object.entries(dumps))
      await attach(`${kind}.json`, JSON.stringify(list?.items ?? [], null, 2), "application/json");
  }

  /** Stops recording and reports; the namespace's deletion is started and awaited after the file. */
  async close(): Promise<void> {
    this.recorder.stop();
    await attach("timeline", this.recorder.toText());
    await measure("cluster-bound", clusterBoundMs(this.recorder.entries));
    deletions.push(
      deleteTestNamespace(this.kube, this.namespace).then(
        () => undefined,
        (e: Error) => e,
      ),
    );
  }
}

/**
 * Namespace deletions of this test file's scenarios. A test does not wait for its namespace (and
 * volumes) to go, which takes about ten seconds of pure cluster time; the file does, in afterAll,
 * and fails if any deletion failed. Errors are captured at once, so none goes unhandled.
 */
const deletions: Promise<Error | undefined>[] = [];
afterAll(async () => {
  const errors = (await Promise.all(deletions)).filter((e) => e !== undefined);
  if (errors.length > 0) throw new Error(`cleanup failed: ${errors.map((e) => e.message).join("; ")}`);
});

/** A scenario test that runs only when `condition` holds; otherwise reported as skipped. */
export function scenarioTestIf(condition: boolean, name: string, body: (s: Scenario) => Promise<void>): void {
  if (condition) scenarioTest(name, body);
  else test.skip(name, () => undefined);
}

/**
 * A test that runs `body` in a fresh scenario: the namespace is always deleted (and awaited);
 * on failure the evidence is attached first.
 */
export function scenarioTest(name: string, body: (s: Scenario) => Promise<void>): void {
  test(name, async () => {
    const s = await Scenario.open(name);
    try {
      await body(s);
    } catch (e) {
      await s.diagnostics();
      throw e;
    } finally {
      await s.close();
    }
  });
}
