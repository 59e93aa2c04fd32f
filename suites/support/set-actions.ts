// What a scenario does to its StatefulSet: create it (with its Service), scale, roll out and back,
// partition, edit, delete. Every action marks the timeline first and returns the mark's sequence
// number (the start of what it caused). actions.ts adds what it does to pods, claims and faults.
import type * as k8s from "@kubernetes/client-node";
import { fixtureImage } from "../../harness/config/image-build.js";
import { setting } from "../../harness/config/settings.js";
import { updateOutcome, type UpdateOutcome } from "../../harness/checks/update-rules.js";
import { transient, withRetry } from "../../harness/kube/retry.js";
import { createSet, scaleSet } from "../../harness/kube/statefulsets.js";
import { headlessService, rolloutVar, webStatefulSet, type WebSetOptions } from "../../fixtures/web-statefulset.js";
import { neverReadyProbe, readinessProbe, webContainer } from "../../fixtures/web-pod.js";
import type { ScenarioContext } from "./context.js";

/** The annotation `nudge` changes on the set. */
const nudgeAnnotation = "sts-conformance.io/nudged-at";

export type ServiceKind = "headless" | "publish-not-ready" | "none";

export class SetActions {
  constructor(protected readonly c: ScenarioContext) {}

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
    const mark = await this.c.recorder.markAction(
      `create ${this.c.set} with ${set.spec?.replicas} replicas (${set.spec?.podManagementPolicy})`,
    );
    const publishNotReadyAddresses = o.service === "publish-not-ready";
    const service = o.service === "none" ? undefined : headlessService({ name: this.c.set, publishNotReadyAddresses });
    await createSet(this.c.kube, this.c.namespace, set, service);
    return mark;
  }

  /** Deletes the set (its pods go with it, or stay as orphans). */
  async deleteSet(propagation: "Background" | "Orphan"): Promise<number> {
    const mark = await this.c.recorder.markAction(
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
    const mark = await this.c.recorder.markAction(`scale ${this.c.set} to ${replicas}`);
    await scaleSet(this.c.kube, this.c.namespace, this.c.set, replicas);
    return mark;
  }

  /**
   * Rolls out a new revision: sets the web container's ROLLOUT variable to `value`, a template
   * change and nothing else; with `neverReady`, its readiness probe also always fails (G30: a bad
   * template whose pods run but never become Ready), and without, it is the good probe again.
   */
  async rollOut(value: string, o: { neverReady?: boolean } = {}): Promise<number> {
    const mark = await this.c.recorder.markAction(
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
    const mark = await this.c.recorder.markAction(`roll back to revision ${revision}`);
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
    await this.c.recorder.markAction(`try to update ${field}`);
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
    const mark = await this.c.recorder.markAction(`set the partition to ${partition}`);
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
   * Makes the controller sync the set now: an annotation on it (any event on the set or its pods
   * does the same in a real cluster). For guarantees the controller keeps at its next sync (G12).
   */
  async nudge(): Promise<number> {
    const mark = await this.c.recorder.markAction(`annotate ${this.c.set} (the controller syncs it)`);
    await this.editSet((set) => {
      set.metadata = {
        ...set.metadata,
        annotations: { ...set.metadata?.annotations, [nudgeAnnotation]: String(mark) },
      };
    });
    return mark;
  }
}
