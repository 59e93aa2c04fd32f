// What a scenario does to the cluster. Every action marks the timeline first, so the report shows
// cause next to effect, and returns the mark's sequence number (the start of what it caused).
import type * as k8s from "@kubernetes/client-node";
import { fixtureImage } from "../../harness/config/images.js";
import { setting } from "../../harness/config/settings.js";
import { evict, type EvictionOutcome } from "../../harness/faults/drain.js";
import type { Fault } from "../../harness/faults/undo.js";
import { Inconclusive } from "../../harness/verdict/verdict.js";
import { updateOutcome, type UpdateOutcome } from "../../harness/checks/update-rules.js";
import { transient, withRetry } from "../../harness/kube/retry.js";
import { createSet, scaleSet } from "../../harness/kube/statefulsets.js";
import { podName } from "../../harness/statefulset/naming.js";
import {
  appLabel,
  headlessService,
  nowhere,
  neverReadyProbe,
  readinessProbe,
  rolloutVar,
  webContainer,
  webDeployment,
  webStatefulSet,
  type WebSetOptions,
} from "../../fixtures/web-statefulset.js";
import { claim as claimFixture } from "../../fixtures/claim.js";
import { oneShotPod } from "../../fixtures/one-shot-pod.js";
import { podDisruptionBudget } from "../../fixtures/pod-disruption-budget.js";
import { writerPauseMs, writerPod } from "../../fixtures/writer-pod.js";
import { execInPod } from "../../harness/kube/exec.js";
import { waitForPod } from "../../harness/kube/pods.js";
import { Timeouts } from "../../harness/config/timeouts.js";
import { Writer } from "../../harness/workload/writer.js";
import type { ScenarioContext } from "./context.js";
import type { PodRef } from "./probes.js";

/** The annotation `nudge` changes on the set. */
const nudgeAnnotation = "sts-conformance.io/nudged-at";

export type ServiceKind = "headless" | "publish-not-ready" | "none";

export class Actions {
  constructor(private readonly c: ScenarioContext) {}

  /** The web set of this scenario, on the run's fixture image and StorageClass. */
  webSet(o: Omit<WebSetOptions, "name" | "image"> = {}): k8s.V1StatefulSet {
    return webStatefulSet({
      name: this.c.set,
      image: fixtureImage(),
      storageClass: setting("storageClassInUse") || undefined,
      claimSize: setting("claimSize"),
      ...o,
    });
  }

  /**
   * Creates the set and its headless Service (none with `service: "none"`; one that also publishes
   * unready pods with "publish-not-ready").
   */
  async create(set: k8s.V1StatefulSet, o: { service?: ServiceKind } = {}): Promise<number> {
    const mark = this.c.recorder.mark(
      `create ${this.c.set} with ${set.spec?.replicas} replicas (${set.spec?.podManagementPolicy})`,
    );
    const publishNotReadyAddresses = o.service === "publish-not-ready";
    const service = o.service === "none" ? undefined : headlessService({ name: this.c.set, publishNotReadyAddresses });
    await createSet(this.c.kube, this.c.namespace, set, service);
    return mark;
  }

  /** Deletes the set (its pods go with it, or stay as orphans). */
  async deleteSet(propagation: "Background" | "Orphan"): Promise<number> {
    const mark = this.c.recorder.mark(
      `delete set ${this.c.set} (${propagation})`,
      propagation === "Background" ? "all" : undefined,
    );
    await withRetry(() =>
      this.c.kube.apps.deleteNamespacedStatefulSet({
        namespace: this.c.namespace,
        name: this.c.set,
        propagationPolicy: propagation,
      }),
    );
    return mark;
  }

  async scale(replicas: number): Promise<number> {
    const mark = this.c.recorder.mark(`scale ${this.c.set} to ${replicas}`);
    await scaleSet(this.c.kube, this.c.namespace, this.c.set, replicas);
    return mark;
  }

  /**
   * Rolls out a new revision: sets the web container's ROLLOUT variable to `value`, a template
   * change and nothing else; with `neverReady`, its readiness probe also always fails (G30: a bad
   * template whose pods run but never become Ready), and without, it is the good probe again.
   */
  async rollOut(value: string, o: { neverReady?: boolean } = {}): Promise<number> {
    const mark = this.c.recorder.mark(
      `roll out: template ${rolloutVar}=${value}${o.neverReady ? " (never Ready)" : ""}`,
    );
    await this.editSet((set) => {
      const container = set.spec?.template.spec?.containers.find((c) => c.name === webContainer);
      if (!container) throw new Error(`the set has no container ${webContainer}`);
      container.env = [...(container.env ?? []).filter((e) => e.name !== rolloutVar), { name: rolloutVar, value }];
      container.readinessProbe = o.neverReady ? neverReadyProbe : readinessProbe;
    });
    return mark;
  }

  /**
   * Rolls back to a ControllerRevision, as `kubectl rollout undo --to-revision` does: the set's
   * template becomes the one the revision recorded (G30, G33).
   */
  async rollBack(revision: string): Promise<number> {
    const mark = this.c.recorder.mark(`roll back to revision ${revision}`);
    const recorded = await withRetry(() =>
      this.c.kube.apps.readNamespacedControllerRevision({ namespace: this.c.namespace, name: revision }),
    );
    // The revision's data is the patch the controller would apply: the whole template, marked
    // as a replacement ($patch), which a plain template must not carry.
    const template = { ...(recorded.data as { spec: { template: Record<string, unknown> } }).spec.template };
    delete template.$patch;
    await this.editSet((set) => {
      if (set.spec) set.spec.template = template as k8s.V1PodTemplateSpec;
    });
    return mark;
  }

  /**
   * Tries one update of the set (`change` edits a fresh copy) and returns what the API server
   * answered, accepted or not: the outcome is what G38 is about.
   */
  async tryUpdate(field: string, change: (set: k8s.V1StatefulSet) => void): Promise<UpdateOutcome> {
    this.c.recorder.mark(`try to update ${field}`);
    try {
      await this.editSet(change);
      return { field, code: 200, message: "accepted" };
    } catch (e) {
      // editSet already retried what is transient (a conflict with a status write included): any
      // other client error is the API server's answer to the update itself.
      const { code, body } = e as { code?: number; body?: unknown };
      if (code === undefined || transient(e)) throw e;
      return updateOutcome(field, code, String(body ?? (e as Error).message));
    }
  }

  /** Sets RollingUpdate's partition (G28): ordinals at or above it are updated. */
  async setPartition(partition: number): Promise<number> {
    const mark = this.c.recorder.mark(`set the partition to ${partition}`);
    await this.editSet((set) => {
      if (set.spec) set.spec.updateStrategy = { type: "RollingUpdate", rollingUpdate: { partition } };
    });
    return mark;
  }

  /** Reads the set, applies `change`, replaces it; read again and retried on a conflict. */
  private editSet(change: (set: k8s.V1StatefulSet) => void): Promise<void> {
    const at = { namespace: this.c.namespace, name: this.c.set };
    return withRetry(async () => {
      const set = await this.c.kube.apps.readNamespacedStatefulSet(at);
      change(set);
      await this.c.kube.apps.replaceNamespacedStatefulSet({ ...at, body: set });
    });
  }

  /**
   * Deletes a pod (the set's ordinal, or a pod's name) gracefully, with its own grace period, or
   * with `force` at once: the API object goes without waiting for its kubelet (kubectl's
   * `--force --grace-period=0`), the documented way out of node loss and the way to break G23.
   */
  async deletePod(pod: PodRef, { force = false } = {}): Promise<number> {
    const name = typeof pod === "number" ? podName(this.c.set, pod) : pod;
    const mark = this.c.recorder.mark(`${force ? "force-" : ""}delete pod ${name}`, [name]);
    await withRetry(() =>
      this.c.kube.core.deleteNamespacedPod({
        namespace: this.c.namespace,
        name,
        ...(force ? { gracePeriodSeconds: 0 } : {}),
      }),
    );
    return mark;
  }

  /** Kills the container's main process: the kubelet restarts it in the same pod. */
  async killContainer(pod: PodRef): Promise<number> {
    const name = typeof pod === "number" ? podName(this.c.set, pod) : pod;
    const { kube, namespace } = this.c;
    const restarts = (p: k8s.V1Pod) =>
      p.status?.containerStatuses?.find((c) => c.name === webContainer)?.restartCount ?? 0;
    const before = restarts(await withRetry(() => kube.core.readNamespacedPod({ namespace, name })));
    const mark = this.c.recorder.mark(`kill PID 1 of ${name}`);
    // The exec session may die with the process: its outcome says nothing, the restart count does.
    await execInPod(kube, namespace, name, ["kill", "1"], webContainer).catch(() => undefined);
    // A kill that did not take times out here (inconclusive), never passes for a fast recovery.
    await waitForPod(
      kube,
      namespace,
      name,
      `the kill to take: container ${webContainer} restarted (restart count above ${before})`,
      (p) => restarts(p) > before,
      Timeouts.podStartMs,
    );
    return mark;
  }

  /**
   * Starts the workload's writer: a client pod appending sequence-numbered records to every
   * member 0..n-1 through its DNS name (on the control-plane node where there is one to run on).
   */
  startWriter(n: number, o: { onControlPlane: boolean }): Promise<Writer> {
    this.c.recorder.mark(`start the writer (${n} members)`);
    const members = Array.from({ length: n }, (_, i) => podName(this.c.set, i));
    const body = writerPod({
      name: "writer",
      image: fixtureImage(),
      pauseMs: writerPauseMs,
      service: this.c.set,
      members,
      ...o,
    });
    return Writer.start(this.c.kube, this.c.namespace, body);
  }

  /** Deletes a claim (its deletion may wait for the pvc-protection finalizer). */
  async deleteClaim(name: string): Promise<number> {
    const mark = this.c.recorder.mark(`delete claim ${name}`);
    await withRetry(() =>
      this.c.kube.core.deleteNamespacedPersistentVolumeClaim({ namespace: this.c.namespace, name }),
    );
    return mark;
  }

  /**
   * Makes the controller sync the set now: an annotation on it (any event on the set or its pods
   * does the same in a real cluster). For guarantees the controller keeps at its next sync (G12).
   */
  async nudge(): Promise<number> {
    const mark = this.c.recorder.mark(`annotate ${this.c.set} (the controller syncs it)`);
    await this.editSet((set) => {
      set.metadata = {
        ...set.metadata,
        annotations: { ...set.metadata?.annotations, [nudgeAnnotation]: String(mark) },
      };
    });
    return mark;
  }

  /**
   * A G12 control's broken fixture: a bare pod (no set) with a claim of `claim`'s name, Pending
   * forever (no node matches it); nothing would create its claim again.
   */
  async createPendingPodWithClaim(pod: string, claim: string): Promise<number> {
    const mark = this.c.recorder.mark(`create a bare Pending pod ${pod} with claim ${claim}`);
    const ns = this.c.namespace;
    const storageClass = setting("storageClassInUse") || undefined;
    await withRetry(() =>
      this.c.kube.core.createNamespacedPersistentVolumeClaim({
        namespace: ns,
        body: claimFixture({ name: claim, storageClass, size: setting("claimSize") }),
      }),
    );
    const body = oneShotPod({
      name: pod,
      image: fixtureImage(),
      script: "sleep 3600",
      labels: { [appLabel]: this.c.set }, // recorded with the set's pods; no set adopts it

      claims: { [claim]: "/data" },
      nodeSelector: nowhere,
    });
    await withRetry(() => this.c.kube.core.createNamespacedPod({ namespace: ns, body }));
    return mark;
  }

  /**
   * Makes the kubelet fail a running pod (phase Failed, DeadlineExceeded), as it fails pods it
   * rejects or evicts (G22): the pod's activeDeadlineSeconds, which may be set on a live pod, is
   * lowered to one second.
   */
  async failPod(pod: PodRef): Promise<number> {
    const name = typeof pod === "number" ? podName(this.c.set, pod) : pod;
    const mark = this.c.recorder.mark(`fail pod ${name} (activeDeadlineSeconds 1)`);
    const at = { namespace: this.c.namespace, name };
    await withRetry(async () => {
      const body = await this.c.kube.core.readNamespacedPod(at);
      if (body.spec) body.spec.activeDeadlineSeconds = 1;
      await this.c.kube.core.replaceNamespacedPod({ ...at, body });
    });
    return mark;
  }

  /** A PodDisruptionBudget over the set's pods, named after the set: at most `maxUnavailable` disrupted at once. */
  async createBudget(maxUnavailable: number): Promise<number> {
    const mark = this.c.recorder.mark(`create a PodDisruptionBudget of maxUnavailable ${maxUnavailable}`);
    const body = podDisruptionBudget({ set: this.c.set, maxUnavailable });
    await withRetry(() =>
      this.c.kube.policy.createNamespacedPodDisruptionBudget({ namespace: this.c.namespace, body }),
    );
    return mark;
  }

  /** Asks the Eviction API to evict a pod, as `kubectl drain` does; a refusal is an outcome. */
  async evict(ordinal: number): Promise<EvictionOutcome> {
    const name = podName(this.c.set, ordinal);
    this.c.recorder.mark(`evict ${name}`, [name]);
    return evict(this.c.kube, this.c.namespace, name);
  }

  /**
   * A control's broken fixture: the set's pods (labels, template) run by a Deployment, so their
   * names are a ReplicaSet's random ones, and a replacement gets a new name; with `service`, behind
   * the headless Service the set would have.
   */
  async createDeployment(replicas: number, o: { service?: boolean } = {}): Promise<number> {
    const mark = this.c.recorder.mark(`create a Deployment of ${replicas} posing as the set`);
    const body = webDeployment({ name: this.c.set, image: fixtureImage(), replicas });
    if (o.service) {
      const service = headlessService({ name: this.c.set });
      await withRetry(() => this.c.kube.core.createNamespacedService({ namespace: this.c.namespace, body: service }));
    }
    await withRetry(() => this.c.kube.apps.createNamespacedDeployment({ namespace: this.c.namespace, body }));
    return mark;
  }

  /** Applies a fault outside the namespace; undone by `undo`, or at the end of the test whatever happens. */
  async apply(fault: Fault): Promise<Fault> {
    this.c.recorder.mark(fault.what);
    await this.c.undo.apply(fault);
    return fault;
  }

  /**
   * Undoes a fault now, verified; returns the mark a window judged over the fault ends at. A fault
   * that lifted itself before that cannot bound a window: what followed its lift would be taken for it.
   */
  async undo(fault: Fault): Promise<number> {
    const mark = this.c.recorder.mark(`undo: ${fault.what}`);
    const lifted = fault.liftsItselfAt !== undefined && Date.now() >= fault.liftsItselfAt;
    await this.c.undo.undo(fault);
    if (lifted)
      throw new Inconclusive(
        `${fault.what}: it lifted itself before the test undid it, so no window can be judged over it; give it a longer hold`,
      );
    return mark;
  }
}
