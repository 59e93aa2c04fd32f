// What a scenario waits to see: states of its pods and set, reached within the settle timeout
// (a timeout is inconclusive: the cluster was too slow to tell).
import type * as k8s from "@kubernetes/client-node";
import { Timeouts } from "../../harness/config/timeouts.js";
import { isNodeReady } from "../../harness/kube/nodes.js";
import { isReady, waitForPod } from "../../harness/kube/pods.js";
import { waitForReadyPods, waitForSet } from "../../harness/kube/statefulsets.js";
import { WaitTimeout, waitFor } from "../../harness/kube/watch.js";
import { watchOf } from "../../harness/kube/watch-of.js";
import { podName } from "../../harness/statefulset/naming.js";
import { quietWindow } from "../../harness/timeline/quiet-window.js";
import type { ScenarioContext } from "./context.js";
import type { Probes } from "./probes.js";

/** A claim as a timeout describes it: phase, capacity, conditions. */
export function describeClaim(c: k8s.V1PersistentVolumeClaim | undefined): string {
  if (!c) return "absent";
  const conditions = (c.status?.conditions ?? []).map((x) => `${x.type}${x.message ? `: ${x.message}` : ""}`);
  return `${c.status?.phase ?? "?"}, capacity ${c.status?.capacity?.storage ?? "?"}${conditions.length ? `, ${conditions.join("; ")}` : ""}`;
}

export class Observations {
  constructor(
    private readonly c: ScenarioContext,
    private readonly probe: Probes,
  ) {}

  /** Waits until the Node's Ready condition is True (`ready`) or not: the control plane's view of it. */
  async nodeReady(node: string, ready: boolean): Promise<void> {
    await waitFor(this.c.kube, {
      watch: watchOf.nodes(this.c.kube),
      what: `node ${node} ${ready ? "Ready" : "NotReady"}`,
      timeoutMs: Timeouts.nodeReadyMs,
      until: (nodes) => [...nodes.values()].some((n) => n.metadata?.name === node && isNodeReady(n) === ready),
    });
  }

  /** Waits until the set's PodDisruptionBudget (createBudget) allows exactly `disruptions` now. */
  async budgetAllows(disruptions: number): Promise<void> {
    await waitFor(this.c.kube, {
      watch: watchOf.pdb(this.c.kube, this.c.namespace, this.c.set),
      what: `the budget to allow ${disruptions} disruption(s)`,
      timeoutMs: Timeouts.setSettleMs,
      until: (current) => [...current.values()].some((b) => b.status?.disruptionsAllowed === disruptions),
    });
  }

  /** Waits until pods start..start+n-1 exactly exist and are Running and Ready. */
  readyPods(n: number, start = 0, timeoutMs?: number): Promise<Map<string, k8s.V1Pod>> {
    const names = Array.from({ length: n }, (_, i) => podName(this.c.set, start + i));
    return waitForReadyPods(this.c.kube, this.c.namespace, this.c.selector, names, timeoutMs);
  }

  /**
   * Waits until the controller reports the rollout complete: every replica updated and Ready,
   * currentRevision == updateRevision (waitForSet first waits for the latest spec to be observed).
   * Returns that revision.
   */
  async rolloutComplete(replicas: number): Promise<string> {
    const set = await waitForSet(
      this.c.kube,
      this.c.namespace,
      this.c.set,
      `the rollout complete (${replicas} updated and Ready, currentRevision == updateRevision)`,
      (s) =>
        s.status?.updatedReplicas === replicas &&
        s.status?.readyReplicas === replicas &&
        s.status?.currentRevision === s.status?.updateRevision,
    );
    return set.status?.updateRevision ?? "";
  }

  /** The revision the controller makes new pods from, once it has seen the latest template. */
  async updateRevision(): Promise<string> {
    const set = await waitForSet(this.c.kube, this.c.namespace, this.c.set, "the latest template observed", (s) =>
      Boolean(s.status?.updateRevision),
    );
    return set.status?.updateRevision ?? "";
  }

  /**
   * G33: the set's revisions once at most `limit` old ones are left beside the live one (the
   * controller truncates the history after a rollout, at once on a healthy cluster), or as they
   * are after the bound a set has to settle: then the history check judges what is there (N13: a
   * 5 s window called a slow controller BROKEN).
   */
  async revisionsTruncated(limit: number): Promise<Awaited<ReturnType<Probes["revisions"]>>> {
    await waitFor(this.c.kube, {
      watch: watchOf.revisions(this.c.kube, this.c.namespace),
      what: `at most ${limit + 1} controller revisions`,
      timeoutMs: Timeouts.setSettleMs,
      until: (current) => current.size <= limit + 1,
    }).catch((e: unknown) => {
      if (!(e instanceof WaitTimeout)) throw e;
    });
    return this.probe.revisions();
  }

  /**
   * Waits until claim `name` (the object `uid`) is gone: absent, or already there again as a new
   * object. The controller may recreate it before this wait's first list (seen under load: the
   * wait then saw only the new claim and timed out), so the old object's absence is what counts.
   */
  async claimGone(name: string, uid: string): Promise<void> {
    await waitFor(this.c.kube, {
      watch: watchOf.claims(this.c.kube, this.c.namespace),
      what: `claim ${name} (uid ${uid}) gone`,
      timeoutMs: Timeouts.setSettleMs,
      until: (current) => current.get(`${this.c.namespace}/${name}`)?.metadata?.uid !== uid,
      describe: (current) => {
        const c = current.get(`${this.c.namespace}/${name}`);
        if (!c) return "absent";
        const deleting = c.metadata?.deletionTimestamp
          ? `, deleting, finalizers ${c.metadata.finalizers?.join(",")}`
          : "";
        return `${name} uid ${c.metadata?.uid}${deleting}`;
      },
    });
  }

  /** Waits until claim `name` exists and `check` holds for it (`describe` says what it was at a timeout). */
  async claim(
    name: string,
    what: string,
    check: (c: k8s.V1PersistentVolumeClaim) => boolean,
    timeoutMs = Timeouts.setSettleMs,
  ): Promise<k8s.V1PersistentVolumeClaim> {
    const key = `${this.c.namespace}/${name}`;
    const current = await waitFor(this.c.kube, {
      watch: watchOf.claims(this.c.kube, this.c.namespace),
      what: `claim ${name} ${what}`,
      timeoutMs,
      until: (claims) => {
        const c = claims.get(key);
        return c !== undefined && check(c);
      },
      describe: (claims) => describeClaim(claims.get(key)),
    });
    return current.get(key) as k8s.V1PersistentVolumeClaim;
  }

  /** Waits until claim `name` exists again as a new object (not `uid`) that is not being deleted. */
  async claimRecreated(name: string, uid: string): Promise<void> {
    const key = `${this.c.namespace}/${name}`;
    await waitFor(this.c.kube, {
      watch: watchOf.claims(this.c.kube, this.c.namespace),
      what: `claim ${name} created again`,
      timeoutMs: Timeouts.setSettleMs,
      until: (current) => {
        const c = current.get(key);
        return c !== undefined && c.metadata?.uid !== uid && !c.metadata?.deletionTimestamp;
      },
    });
  }

  /** Waits until a Service of the scenario has exactly `n` ready endpoints. */
  async endpointsOf(service: string, n: number): Promise<void> {
    const ready = (slices: k8s.V1EndpointSlice[]) =>
      slices.flatMap((sl) => (sl.endpoints ?? []).filter((e) => e.conditions?.ready === true)).length;
    await waitFor(this.c.kube, {
      watch: watchOf.endpointSlices(this.c.kube, this.c.namespace, service),
      what: `Service ${service} with ${n} ready endpoint(s)`,
      timeoutMs: Timeouts.setSettleMs,
      until: (current) => ready([...current.values()]) === n,
      describe: (current) => `${ready([...current.values()])} ready`,
    });
  }

  /**
   * Waits until exactly `n` of the scenario's live pods, whatever their names, are Ready (and
   * `also` holds). Pods that have ended (Failed, Succeeded), which a Deployment leaves behind, do
   * not count.
   */
  readyCount(n: number, also: (pods: k8s.V1Pod[]) => boolean = () => true): Promise<k8s.V1Pod[]> {
    return waitFor(this.c.kube, {
      watch: watchOf.pods(this.c.kube, this.c.namespace, this.c.selector),
      what: `${n} Ready pods`,
      timeoutMs: Timeouts.setSettleMs,
      until: (current) => {
        const pods = [...current.values()].filter((p) => !["Failed", "Succeeded"].includes(p.status?.phase ?? ""));
        return pods.length === n && pods.every((p) => isReady(p) && !p.metadata?.deletionTimestamp) && also(pods);
      },
    }).then((current) => [...current.values()].filter((p) => isReady(p)));
  }

  /** Waits until the controller itself has seen `ready` Ready replicas (not just our watch). */
  async controllerSeesReady(ready: number): Promise<void> {
    await waitForSet(
      this.c.kube,
      this.c.namespace,
      this.c.set,
      `status.readyReplicas=${ready}`,
      (s) => (s.status?.readyReplicas ?? 0) === ready,
    );
  }

  /** Waits until the pod of `ordinal` exists and `check` holds for it. */
  pod(
    ordinal: number,
    what: string,
    check: (p: k8s.V1Pod) => boolean,
    timeoutMs = Timeouts.setSettleMs,
  ): Promise<k8s.V1Pod> {
    return waitForPod(this.c.kube, this.c.namespace, podName(this.c.set, ordinal), what, check, timeoutMs);
  }

  /** Waits until the pod of `ordinal` is Running and Ready (not terminating) and `check` holds. */
  readyPod(ordinal: number, what: string, check: (p: k8s.V1Pod) => boolean): Promise<k8s.V1Pod> {
    return this.pod(ordinal, `Ready and ${what}`, (p) => isReady(p) && !p.metadata?.deletionTimestamp && check(p));
  }

  /**
   * G10's observation: which of `claims` get deleted during a quiet window (or were already gone
   * when it began). Empty when the claims were kept, as the default Retain policy promises.
   */
  async claimsLostInWindow(claims: string[], fromSeq: number): Promise<string[]> {
    const deleted = await quietWindow(
      this.c.recorder,
      fromSeq,
      Timeouts.quietWindowMs,
      (e) => e.kind === "PersistentVolumeClaim" && e.type === "DELETED" && claims.includes(e.name),
    );
    const present = await this.probe.claims();
    return [...new Set([...deleted.map((e) => e.name), ...claims.filter((c) => !present.has(c))])];
  }
}
