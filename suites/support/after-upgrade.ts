// What `upgrade check` reads once, after the upgrade, for all its judgements: the baseline and the
// watch's recording (files and the cluster's ConfigMap), the writer's final ledger, each member's
// journal, identity and claim binding. suites/upgrade.test.ts tells the story; this holds the reads.
import { appLabel } from "../../fixtures/web-pod.js";
import type { PodIdentity } from "../../harness/checks/identity.js";
import type { Kube } from "../../harness/kube/client.js";
import { withRetry } from "../../harness/kube/retry.js";
import { waitForReadyPods } from "../../harness/kube/statefulsets.js";
import { WaitTimeout } from "../../harness/kube/watch.js";
import { podName, revisionOf } from "../../harness/statefulset/naming.js";
import type { TimelineEntry } from "../../harness/timeline/entry.js";
import { members, type Baseline } from "../../harness/upgrade/baseline.js";
import type { Binding, Revisions } from "../../harness/upgrade/judgements.js";
import { ledgerOf, type Recording } from "../../harness/upgrade/recording.js";
import { uncovered, upgradeWindow } from "../../harness/upgrade/coverage.js";
import { claimBinding, nodeVersions, stopWriter } from "../../harness/upgrade/workload.js";
import type { Ledger } from "../../harness/workload/ledger.js";
import { latencyByPhase, writeLatencies, type LatencyStats, type Phase } from "../../harness/workload/latency.js";
import { writerPauseMs } from "../../fixtures/writer-pod.js";
import { Inconclusive } from "../../harness/verdict/verdict.js";
import { Checks } from "./verdicts.js";
import { Probes } from "./probes.js";

export interface AfterUpgrade {
  baseline: Baseline;
  /** The watch's recording; undefined when no `upgrade watch` ran through the upgrade. */
  recording?: Recording;
  /** What the recording does not cover of the upgrade (coverage.ts), a phrase each: empty when whole. */
  uncovered: string[];
  /** Members not Ready again within the settle bound after the upgrade, with what was seen. */
  notBack?: string;
  ledger: Ledger;
  /** What the ledger was read from. */
  ledgerFrom: string;
  /** The writer's acknowledged-write latency before, during and after the upgrade, or why it is not known. */
  latency: Partial<Record<Phase, LatencyStats>> | { unknown: string };
  /** Why the acknowledgements cannot be compared (the writer restarted or was replaced), if so. */
  ledgerUnusable?: string;
  /** Why the members' journals and identities were not read (members not back), if so. */
  unreadable?: string;
  journals: Map<string, number[]>;
  identities: Map<string, PodIdentity>;
  bindings: Map<string, Binding | undefined>;
  revisions: Map<string, Revisions>;
}

/** Reads everything the judgements need; the writer is stopped first (its ledger frozen before the journals are read). */
export async function readAfterUpgrade(kube: Kube, baseline: Baseline, recording?: Recording): Promise<AfterUpgrade> {
  const ns = baseline.namespace;
  let notBack: string | undefined;
  for (const s of baseline.sets) {
    const names = Array.from({ length: s.replicas }, (_, i) => podName(s.name, i));
    await waitForReadyPods(kube, ns, `${appLabel}=${s.name}`, names).catch((e: unknown) => {
      if (!(e instanceof WaitTimeout)) throw e;
      notBack = [notBack, e.message].filter(Boolean).join("; ");
    });
  }
  const writerNow = await kube.core.readNamespacedPod({ namespace: ns, name: baseline.writer }).catch(() => undefined);
  let ledger: Ledger = ledgerOf(recording);
  let ledgerUnusable: string | undefined;
  let ledgerFrom = "the watch's ledger";
  let lines: string[] = [];
  if (!writerNow)
    ledgerUnusable = `the writer pod ${baseline.writer} is gone: its acknowledgements since the watch ended are unknown`;
  else {
    const stopped = await stopWriter(kube, ns, baseline.writer, ledger);
    ledger = stopped.ledger;
    ledgerFrom = stopped.from;
    lines = stopped.lines;
    if (stopped.restarts > 0)
      ledgerUnusable = `the writer's container restarted ${stopped.restarts} time(s): its records were numbered from 1 again`;
  }
  const journals = new Map<string, number[]>();
  const identities = new Map<string, PodIdentity>();
  // Members not back cannot be read: that is G25's finding; what needs their data is undecided.
  const unreadable = notBack ? `the members' data cannot be read: not every member is back (${notBack})` : undefined;
  for (const s of notBack ? [] : baseline.sets) {
    const probe = new Probes({ kube, namespace: ns, set: s.name, selector: `${appLabel}=${s.name}` });
    for (const [m, j] of await probe.journals(s.replicas)) journals.set(m, j);
    for (let i = 0; i < s.replicas; i++) identities.set(podName(s.name, i), await probe.identity(i));
  }
  const revisions = new Map<string, Revisions>();
  for (const s of baseline.sets) {
    const set = await withRetry(() => kube.apps.readNamespacedStatefulSet({ namespace: ns, name: s.name }));
    const pods = await withRetry(() =>
      kube.core.listNamespacedPod({ namespace: ns, labelSelector: `${appLabel}=${s.name}` }),
    );
    revisions.set(s.name, {
      currentRevision: set.status?.currentRevision ?? "",
      updateRevision: set.status?.updateRevision ?? "",
      members: new Map(pods.items.map((p) => [p.metadata?.name ?? "", revisionOf(p) ?? ""])),
    });
  }
  const bindings = new Map(
    await Promise.all(members(baseline).map(async (m) => [m.claim, await claimBinding(kube, ns, m.claim)] as const)),
  );
  const window = recording ? upgradeWindow(recording) : undefined;
  const latency = !writerNow
    ? { unknown: `the writer pod ${baseline.writer} is gone: its log with it` }
    : !window
      ? { unknown: "no node change recorded: the upgrade's window is not known" }
      : latencyByPhase(writeLatencies(lines, writerPauseMs), window);
  return {
    baseline,
    ...(recording ? { recording } : {}),
    latency,
    uncovered: uncovered(baseline, recording, await nodeVersions(kube)),
    ...(notBack ? { notBack } : {}),
    ledger,
    ledgerFrom,
    ...(ledgerUnusable ? { ledgerUnusable } : {}),
    ...(unreadable ? { unreadable } : {}),
    journals,
    identities,
    bindings,
    revisions,
  };
}

/** A set's recorded timeline, or inconclusive: no watch recorded the upgrade. */
export function timelineOf(a: AfterUpgrade, set: string): TimelineEntry[] {
  const entries = a.recording?.timelines[set];
  if (!entries)
    throw new Inconclusive(
      "no recording of the upgrade: run 'sts-conformance upgrade watch' from before the upgrade starts until 'upgrade check' (what happened during it cannot be judged)",
    );
  return entries;
}

/**
 * After a judgement over the recording found nothing wrong: held only if the recording covers the
 * upgrade, inconclusive naming what it missed otherwise (what it did not see may have broken it).
 */
export function assertCovered(a: AfterUpgrade): void {
  if (a.uncovered.length > 0)
    throw new Inconclusive(
      `nothing seen broke it, but the recording does not cover the upgrade: ${a.uncovered.join("; ")}`,
    );
}

/** Judgements over a recorded timeline (already whole: nothing to catch up with), of whatever the upgrade did. */
export const checksOver = (set: string, entries: TimelineEntry[]) =>
  new Checks({ set, recorder: { entries, catchUp: async () => undefined }, judgesEveryone: true });

/** Judgements of what was read from the cluster after the upgrade (no timeline behind them). */
export const snapshotChecks = checksOver("", []);
