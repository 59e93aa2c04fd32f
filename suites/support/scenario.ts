// A scenario: one labelled namespace, one web StatefulSet, a timeline recorder running from the
// start, the undos of what it changed outside its namespace, and its roles:
//   act      what it does (each action marks the timeline)   observe  what it waits to see
//   probe    what it reads from pods and the API              check    verdicts over the timeline
import type { WebSetOptions } from "../../fixtures/web-statefulset.js";
import { appLabel } from "../../fixtures/web-pod.js";
import { UndoRegistry } from "../../harness/faults/undo.js";
import type { Kube } from "../../harness/kube/client.js";
import { kindClusterName } from "../../harness/run/conditions.js";
import { faultNodes, workerForFaults } from "../../harness/cluster/fault-node.js";
import { takeAnyLease } from "../../harness/run/lease.js";
import {
  createSharedNamespace,
  enterExclusive,
  enterShared,
  markActivity,
  releaseSharedNamespace,
} from "../../harness/run/gate.js";
import { measure } from "../../harness/report/measure.js";
import { attach } from "../../harness/report/step.js";
import { timelinePicture } from "../../harness/report/timeline-picture.js";
import { clusterBoundMs } from "../../harness/timeline/cluster-time.js";
import { TimelineRecorder } from "../../harness/timeline/recorder.js";
import { Actions } from "./actions.js";
import { Checks } from "./verdicts.js";
import type { ScenarioContext } from "./context.js";
import { attachEvidence } from "./evidence.js";
import { Observations } from "./observations.js";
import { Probes } from "./probes.js";
import { targetKube } from "./target.js";

export class Scenario implements ScenarioContext {
  readonly selector: string;
  readonly undo = new UndoRegistry();
  readonly act = new Actions(this);
  readonly probe = new Probes(this);
  readonly observe = new Observations(this, this.probe);
  readonly check = new Checks(this);
  /** Time spent waiting for a turn (exclusive tests, the cluster alone, the fault node): in the report. */
  private waitedMs = 0;
  private left = false;
  private readonly releases: (() => Promise<void>)[] = [];

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
    const asked = Date.now();
    const namespace = await createSharedNamespace(kube, testName);
    const recorder = await new TimelineRecorder(kube, namespace, set, `${appLabel}=${set}`)
      .start()
      .catch(async (e: unknown) => {
        // no scenario to close: its namespace goes now, and lets the gate go
        await releaseSharedNamespace(kube, namespace);
        throw e;
      });
    const s = new Scenario(kube, namespace, set, recorder);
    s.noteWait(Date.now() - asked, "the run's exclusive test(s) to end before making its namespace");
    return s;
  }

  /** Counts a wait for a turn, and shows one that was long in the timeline. */
  private noteWait(ms: number, what: string): void {
    this.waitedMs += ms;
    if (ms > 1000) this.recorder.mark(`waited ${ms} ms for ${what}`);
  }

  /** Takes its turn at the run's gate, to run alongside the run's other tests. */
  async enter(): Promise<void> {
    const asked = this.recorder.now();
    await enterShared(this.kube, this.namespace);
    this.noteWait(this.recorder.now() - asked, "the run's exclusive test(s) to end");
  }

  /**
   * Runs `work` with no other test of the run on the cluster: for a fault that changes what they
   * all depend on (the API server, a node). The others finish first; new ones wait until it ends.
   * Keep `work` to the fault and its undo: arranging and observing can run alongside the rest.
   */
  async alone<T>(work: () => Promise<T>): Promise<T> {
    const asked = this.recorder.now();
    const { release } = await this.waitForLease("cluster-alone");
    try {
      await enterExclusive(this.kube, this.namespace);
      this.waitedMs += this.recorder.now() - asked;
      this.recorder.mark(`got the cluster alone after ${this.recorder.now() - asked} ms`);
      return await work();
    } finally {
      await release();
      await markActivity(this.kube, this.namespace, "running");
      this.recorder.mark("shared the cluster again");
    }
  }

  /**
   * Runs `work` holding one of the nodes kept for node faults (kind-config.yaml), whichever is free
   * first: no other test's pods are there, and the tests that fault a node take it one at a time,
   * so arrange inside `work` too.
   * The rest of the run goes on meanwhile. It is held until this test's namespace is gone
   * (release), so the next holder finds no pod of this one's on the node. On a cluster the suite did
   * not build no node is reserved: a worker, with the cluster to this test alone.
   */
  async onFaultNode<T>(work: (node: string) => Promise<T>): Promise<T> {
    if (kindClusterName() === undefined) {
      const worker = await workerForFaults(this.kube);
      return this.alone(() => {
        this.recorder.mark(`faults on worker ${worker}, with the cluster to this test alone`);
        return work(worker);
      });
    }
    const nodes = await faultNodes(this.kube);
    const leaseOf = (node: string) => `fault-node-${node}`;
    const asked = this.recorder.now();
    const { name, release } = await this.waitForLease(...nodes.map(leaseOf));
    const node = nodes.find((n) => leaseOf(n) === name) ?? "";
    this.releases.push(release);
    this.waitedMs += this.recorder.now() - asked;
    this.recorder.mark(`got fault node ${node} after ${this.recorder.now() - asked} ms`);
    await this.enter();
    return work(node);
  }

  /**
   * Takes whichever of the run's leases `names` is free first, marked "waiting" meanwhile, not
   * "running": the test that has the cluster alone waits for running ones, and so would wait for
   * this one, and the run with it.
   */
  private async waitForLease(...names: string[]): Promise<{ name: string; release: () => Promise<void> }> {
    await markActivity(this.kube, this.namespace, "waiting");
    return takeAnyLease(this.kube, names, this.namespace);
  }

  /**
   * The requests deleting its namespace are made: leaves the run's gate, unless a lease is still to
   * be given back once the namespace is gone (a request too, that must not meet a restarting API server).
   */
  async deletionRequested(): Promise<void> {
    if (this.releases.length === 0) await this.leave();
  }

  /** Gives back what this test held until its namespace was gone (the fault node), then leaves the gate. */
  async release(): Promise<void> {
    for (const r of this.releases.splice(0)) await r();
    await this.leave();
  }

  /** Lets the run's exclusive tests in; once only, since a later request could meet their API server restart. */
  async leave(): Promise<void> {
    if (this.left) return;
    await markActivity(this.kube, this.namespace, "done");
    this.left = true;
  }

  /** Arrange in one call: creates the web set with these options and waits until all its pods are Ready. */
  async readySet(o: Omit<WebSetOptions, "name" | "image">): Promise<number> {
    const mark = await this.act.create(this.act.webSet(o));
    await this.observe.readyPods(o.replicas ?? 3);
    return mark;
  }

  /** The evidence of a failure (pod logs, object dumps), attached to the report. */
  evidence(): Promise<void> {
    return attachEvidence(this.kube, this.namespace);
  }

  /** Stops recording and attaches the timeline, as text and as a picture; the caller deletes the namespace, then leaves. */
  async close(title: string): Promise<void> {
    this.recorder.stop();
    await attach("timeline", this.recorder.toText());
    const picture = timelinePicture({
      entries: this.recorder.entries,
      set: this.set,
      title,
      violations: this.check.found,
    });
    await attach("timeline picture", picture, "image/svg+xml");
    await measure("cluster-bound", clusterBoundMs(this.recorder.entries));
    if (this.waitedMs > 1000) await measure("waited for its turn", this.waitedMs);
  }
}
