// `upgrade watch`: while the upgrade happens, the timeline of each set (its pods, claims, the set,
// the namespace's events) with the cluster's nodes (readiness, cordons, kubelet versions) in the
// same timeline, and the writer's acknowledgements as they are made. Kept as a snapshot the check
// reads (recording.json), written as it goes so that a watch killed mid-upgrade leaves what it saw.
import { clientContainer } from "../../fixtures/client-pod.js";
import { appLabel } from "../../fixtures/web-pod.js";
import type { Kube } from "../kube/client.js";
import { withRetry } from "../kube/retry.js";
import type { TimelineEntry } from "../timeline/entry.js";
import { TimelineRecorder } from "../timeline/recorder.js";
import type { Ledger, MemberLedger } from "../workload/ledger.js";
import { Writer } from "../workload/writer.js";
import type { Baseline } from "./baseline.js";

export interface Recording {
  schema: 1;
  /** The gate's namespace it recorded. */
  namespace: string;
  /** The baseline it belongs to (its preparedAt). */
  preparedAt: string;
  startedAt: string;
  /** The API server's version when it started. */
  serverVersion: string;
  /** When this snapshot was written (the watch writes one every few seconds). */
  writtenAt: string;
  /** Set when the watch ended on its own terms (a signal, or the check starting). */
  stoppedAt?: string;
  /** What ended it (`endedByCheck`, a signal, the rehearsal's upgrade failing). */
  endedBy?: string;
  /** Whether its final catch-up with the cluster succeeded: its last moments confirmed. */
  caughtUp?: boolean;
  timelines: Record<string, TimelineEntry[]>;
  /** The writer's ledger as the watch folded it. */
  ledger: Array<[string, MemberLedger]>;
}

export class UpgradeWatch {
  private readonly startedAt = new Date().toISOString();

  private constructor(
    private readonly baseline: Baseline,
    private readonly recorders: Map<string, TimelineRecorder>,
    private readonly writer: Writer | undefined,
    private readonly serverVersion: string,
  ) {}

  /** Starts recording every set of the baseline, and following its writer (if its pod still runs). */
  static async start(kube: Kube, baseline: Baseline, log: (line: string) => void): Promise<UpgradeWatch> {
    // the API server's version as the recording starts: a watch started after it was upgraded missed that
    const { gitVersion } = await withRetry(() => kube.version.getCode());
    const recorders = new Map<string, TimelineRecorder>();
    for (const s of baseline.sets) {
      const r = await new TimelineRecorder(kube, baseline.namespace, s.name, `${appLabel}=${s.name}`).start();
      await r.recordNodes();
      recorders.set(s.name, r);
    }
    const writer = await Writer.follow(kube, baseline.namespace, baseline.writer, clientContainer).catch(
      (e: unknown) => {
        log(`the writer ${baseline.writer} cannot be followed (${String(e)}): the check reads its log at the end`);
        return undefined;
      },
    );
    return new UpgradeWatch(baseline, recorders, writer, gitVersion);
  }

  /** Marks a moment of the upgrade (a phase, a node's turn) in every set's timeline. */
  mark(what: string): void {
    for (const r of this.recorders.values()) r.mark(what);
  }

  /** Waits until every set's timeline has caught up with the cluster (before a verdict over it). */
  async catchUp(): Promise<void> {
    for (const r of this.recorders.values()) await r.catchUp();
  }

  snapshot(end?: Pick<Recording, "endedBy" | "caughtUp">): Recording {
    const now = new Date().toISOString();
    return {
      schema: 1,
      namespace: this.baseline.namespace,
      preparedAt: this.baseline.preparedAt,
      startedAt: this.startedAt,
      serverVersion: this.serverVersion,
      writtenAt: now,
      ...(end ? { stoppedAt: now, ...end } : {}),
      timelines: Object.fromEntries([...this.recorders].map(([set, r]) => [set, r.entries])),
      ledger: [...(this.writer?.ledger ?? new Map<string, MemberLedger>())],
    };
  }

  /**
   * Ends the recording (`endedBy`: what ended it), after a last catch-up with the cluster when
   * `catchUp` (a recording that ends on a failed one says so: its last moments are not confirmed).
   */
  async stop(endedBy: string, catchUp = true): Promise<Recording> {
    const caughtUp = catchUp
      ? await this.catchUp().then(
          () => true,
          () => false,
        )
      : undefined;
    for (const r of this.recorders.values()) r.stop();
    this.writer?.stop();
    return this.snapshot({ endedBy, ...(caughtUp === undefined ? {} : { caughtUp }) });
  }
}

export const ledgerOf = (r: Recording | undefined): Ledger => new Map(r?.ledger ?? []);
