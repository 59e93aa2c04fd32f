// What a scenario does to the cluster (to the set itself: set-actions.ts). Every action marks the
// timeline first, so the report shows cause next to effect, and returns the mark's sequence number
// (the start of what it caused).
import type * as k8s from "@kubernetes/client-node";
import { fixtureImage } from "../../harness/config/image-build.js";
import { setting } from "../../harness/config/settings.js";
import { evict, type EvictionOutcome } from "../../harness/kube/eviction.js";
import type { Fault } from "../../harness/faults/undo.js";
import { Inconclusive } from "../../harness/verdict/verdict.js";
import { withRetry } from "../../harness/kube/retry.js";
import { podName } from "../../harness/statefulset/naming.js";
import { headlessService, webDeployment } from "../../fixtures/web-statefulset.js";
import { appLabel, nowhere, webContainer } from "../../fixtures/web-pod.js";
import { claim as claimFixture } from "../../fixtures/claim.js";
import { oneShotPod } from "../../fixtures/one-shot-pod.js";
import { podDisruptionBudget } from "../../fixtures/pod-disruption-budget.js";
import { writerPauseMs, writerPod } from "../../fixtures/writer-pod.js";
import { execInPod } from "../../harness/kube/exec.js";
import { waitForPod } from "../../harness/kube/pods.js";
import { Timeouts } from "../../harness/config/timeouts.js";
import { Writer } from "../../harness/workload/writer.js";
import type { PodRef } from "./probes.js";
import { SetActions } from "./set-actions.js";

/** What a scenario does to its set's pods, claims and budget, to the broken fixtures of controls, and to faults. */
export class Actions extends SetActions {
  /**
   * Deletes a pod (the set's ordinal, or a pod's name) gracefully, with its own grace period, or
   * with `force` at once: the API object goes without waiting for its kubelet (kubectl's
   * `--force --grace-period=0`), the documented way out of node loss and the way to break G23.
   */
  async deletePod(pod: PodRef, { force = false } = {}): Promise<number> {
    const name = typeof pod === "number" ? podName(this.c.set, pod) : pod;
    const mark = await this.c.recorder.markAction(`${force ? "force-" : ""}delete pod ${name}`, [name]);
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
    const mark = await this.c.recorder.markAction(`kill PID 1 of ${name}`);
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
  async startWriter(n: number, o: { onControlPlane: boolean }): Promise<Writer> {
    await this.c.recorder.markAction(`start the writer (${n} members)`);
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
    const mark = await this.c.recorder.markAction(`delete claim ${name}`);
    await withRetry(() =>
      this.c.kube.core.deleteNamespacedPersistentVolumeClaim({ namespace: this.c.namespace, name }),
    );
    return mark;
  }

  /**
   * A G12 control's broken fixture: a bare pod (no set) with a claim of `claim`'s name, Pending
   * forever (no node matches it); nothing would create its claim again.
   */
  async createPendingPodWithClaim(pod: string, claim: string): Promise<number> {
    const mark = await this.c.recorder.markAction(`create a bare Pending pod ${pod} with claim ${claim}`);
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
    const mark = await this.c.recorder.markAction(`fail pod ${name} (activeDeadlineSeconds 1)`);
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
    const mark = await this.c.recorder.markAction(`create a PodDisruptionBudget of maxUnavailable ${maxUnavailable}`);
    const body = podDisruptionBudget({ set: this.c.set, maxUnavailable });
    await withRetry(() =>
      this.c.kube.policy.createNamespacedPodDisruptionBudget({ namespace: this.c.namespace, body }),
    );
    return mark;
  }

  /** Asks the Eviction API to evict a pod, as `kubectl drain` does; a refusal is an outcome. */
  async evict(ordinal: number): Promise<EvictionOutcome> {
    const name = podName(this.c.set, ordinal);
    await this.c.recorder.markAction(`evict ${name}`, [name]);
    return evict(this.c.kube, this.c.namespace, name);
  }

  /**
   * A control's broken fixture: the set's pods (labels, template) run by a Deployment, so their
   * names are a ReplicaSet's random ones, and a replacement gets a new name; with `service`, behind
   * the headless Service the set would have.
   */
  async createDeployment(replicas: number, o: { service?: boolean } = {}): Promise<number> {
    const mark = await this.c.recorder.markAction(`create a Deployment of ${replicas} posing as the set`);
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
    await this.c.recorder.markAction(fault.what);
    await this.c.undo.apply(fault);
    return fault;
  }

  /**
   * Undoes a fault now, verified; returns the mark a window judged over the fault ends at. A fault
   * that lifted itself before that cannot bound a window: what followed its lift would be taken for it.
   */
  async undo(fault: Fault): Promise<number> {
    const mark = await this.c.recorder.markAction(`undo: ${fault.what}`);
    const lifted = fault.liftsItselfAt !== undefined && Date.now() >= fault.liftsItselfAt;
    await this.c.undo.undo(fault);
    if (lifted)
      throw new Inconclusive(
        `${fault.what}: it lifted itself before the test undid it, so no window can be judged over it; give it a longer hold`,
      );
    return mark;
  }
}
