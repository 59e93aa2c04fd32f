// The workload's writer followed through its log: what it acknowledged, as it happens.
import * as k8s from "@kubernetes/client-node";
import { PassThrough } from "node:stream";
import { Timeouts } from "../config/timeouts.js";
import type { Kube } from "../kube/client.js";
import { waitForPod } from "../kube/pods.js";
import { withRetry } from "../kube/retry.js";
import { WaitTimeout } from "../kube/watch.js";
import { describeLedger, foldWriterLine, type Ledger } from "./ledger.js";

/** Before following the log again after its stream ended (an API server restart). */
const refollowMs = 1000;
/**
 * A followed log silent this long is presumed cut and followed again. The client library pipes the
 * response into our stream without passing its errors on, so a stream cut by an API server restart
 * can end in neither 'finish' nor 'error'. The writer prints a line per member at least every few
 * seconds (each request is bounded by 2 s), so silence is never the workload's.
 */
const silentMs = 10_000;

/**
 * The workload's client pod, and what it has acknowledged so far. Its log is followed as a stream
 * and folded line by line into the ledger, so the harness's memory stays flat however long the
 * run. A stream that ends or falls silent (an API server restart) is followed again from the last
 * line's time; lines seen twice are folded once.
 */
export class Writer {
  private lastStamp?: string;
  private abort?: AbortController;
  private stopped = false;
  private refollowing = false;
  /** Which follow is current: a stream given up on may still deliver or end, and is then ignored. */
  private generation = 0;
  private lastDataAt = Date.now();
  private readonly watchdog = setInterval(() => this.refollowIfSilent(), 1000).unref();
  private waiters: Array<() => void> = [];

  private constructor(
    private readonly kube: Kube,
    private readonly namespace: string,
    readonly name: string,
    private readonly container: string,
    readonly ledger: Ledger,
  ) {}

  /** Creates the writer pod (fixtures/writer-pod.ts) and follows its log once it runs. */
  static async start(kube: Kube, namespace: string, body: k8s.V1Pod): Promise<Writer> {
    await withRetry(() => kube.core.createNamespacedPod({ namespace, body }));
    const name = body.metadata?.name ?? "";
    await waitForPod(kube, namespace, name, "Running", (p) => p.status?.phase === "Running", Timeouts.podStartMs);
    return Writer.follow(kube, namespace, name, body.spec?.containers[0]?.name ?? "");
  }

  /**
   * Follows a writer pod that runs already, from the start of its log: lines already folded into
   * `ledger` (one kept by an earlier follower) are folded once.
   */
  static async follow(
    kube: Kube,
    namespace: string,
    pod: string,
    container: string,
    ledger: Ledger = new Map(),
  ): Promise<Writer> {
    const writer = new Writer(kube, namespace, pod, container, ledger);
    await writer.follow();
    return writer;
  }

  /** Resolves once `holds(ledger)`; a wait that runs out is inconclusive, with the ledger as seen. */
  until(what: string, holds: (ledger: Ledger) => boolean, timeoutMs = Timeouts.setSettleMs): Promise<Ledger> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!holds(this.ledger)) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve(this.ledger);
      };
      // eslint-disable-next-line no-restricted-syntax -- the wait's upper bound; the wait itself follows the log
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new WaitTimeout(what, timeoutMs, describeLedger(this.ledger)));
      }, timeoutMs);
      this.waiters.push(check);
      check();
    });
  }

  /** Waits until every member has acknowledged `more` records beyond what it had when called. */
  acknowledgedMore(members: string[], more: number, timeoutMs?: number): Promise<Ledger> {
    const base = new Map(members.map((m) => [m, this.ledger.get(m)?.ackCount ?? 0]));
    return this.until(
      `${more} more acknowledged write(s) on each of ${members.join(", ")}`,
      (l) => members.every((m) => (l.get(m)?.ackCount ?? 0) >= (base.get(m) ?? 0) + more),
      timeoutMs,
    );
  }

  /**
   * Stops following the log (the pod goes with its namespace) and returns the ledger, frozen. The
   * ledger is live until then: read the journals only after this, or a record acknowledged while
   * they are read counts as acknowledged and not there (lost). Stopping twice is harmless.
   */
  stop(): Ledger {
    this.stopped = true;
    clearInterval(this.watchdog);
    this.abort?.abort();
    return this.ledger;
  }

  private async follow(): Promise<void> {
    const generation = ++this.generation;
    const current = () => generation === this.generation && !this.stopped;
    const out = new PassThrough();
    let partial = "";
    this.lastDataAt = Date.now();
    out.on("data", (chunk: Buffer) => {
      if (!current()) return;
      this.lastDataAt = Date.now();
      const lines = (partial + chunk.toString("utf8")).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        foldWriterLine(this.ledger, line);
        this.lastStamp = line.split(" ", 1)[0] || this.lastStamp;
      }
      for (const w of [...this.waiters]) w();
    });
    out.on("finish", () => current() && this.refollow());
    out.on("error", () => current() && this.refollow());
    // client-node pipes the response into `out` but leaves the response's own errors unheard: an
    // abort (stop, refollow) would be an uncaught AbortError. The 'pipe' event hands us the source.
    out.on("pipe", (source) => source.on("error", () => current() && this.refollow()));
    const abort = await new k8s.Log(this.kube.kc)
      .log(this.namespace, this.name, this.container, out, {
        follow: true,
        timestamps: true,
        ...(this.lastStamp ? { sinceTime: this.lastStamp } : {}),
      })
      .catch(() => {
        if (current()) this.refollow();
        return undefined;
      });
    if (current()) this.abort = abort;
    else abort?.abort(); // stopped, or given up on, while it connected
  }

  private refollowIfSilent(): void {
    if (this.stopped || this.refollowing || Date.now() - this.lastDataAt < silentMs) return;
    this.abort?.abort();
    this.generation++; // whatever the old stream still does is ignored
    this.refollow();
  }

  private refollow(): void {
    if (this.stopped || this.refollowing) return; // 'finish' and 'error' may both come
    this.refollowing = true;
    setTimeout(() => {
      this.refollowing = false;
      if (!this.stopped) void this.follow();
    }, refollowMs).unref();
  }
}
