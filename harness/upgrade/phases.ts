// The upgrade mode's commands that are not a test run: `upgrade prepare` (before the upgrade),
// `upgrade watch` (during it), `upgrade clean`. `upgrade check` is a run of the suite's tests
// (suites/upgrade.test.ts, then the guarantees' own), started by the CLI.
import type * as k8s from "@kubernetes/client-node";
import { existsSync, rmSync } from "node:fs";
import { fixtureImage } from "../config/image-build.js";
import { Timeouts } from "../config/timeouts.js";
import { HarnessError } from "../errors/harness-error.js";
import type { Kube } from "../kube/client.js";
import { Labels, managedByValue } from "../kube/labels.js";
import { defaultServiceAccount, deleteTestNamespace } from "../kube/namespace.js";
import { withRetry } from "../kube/retry.js";
import { listWatch } from "../kube/watch.js";
import { watchOf } from "../kube/watch-of.js";
import type { Baseline } from "./baseline.js";
import { clock, endedByCheck } from "./coverage.js";
import { UpgradeWatch, type Recording } from "./recording.js";
import {
  baselineFile,
  checkStartedAnnotation,
  configMap,
  loadBaseline,
  loadRecording,
  recordingFile,
  storeBaseline,
  storeRecording,
  gateNamespace,
} from "./store.js";
import { prepareWorkload } from "./workload.js";

const notFound = (e: unknown) => (e as { code?: number }).code === 404;

/** Whether the upgrade namespace exists, and is ours (labelled by `prepare`). */
async function ownNamespace(kube: Kube): Promise<"absent" | "ours" | "foreign"> {
  const namespace = gateNamespace();
  const ns = await kube.core
    .readNamespace({ name: namespace })
    .catch((e: unknown) => (notFound(e) ? undefined : Promise.reject(e)));
  if (!ns) return "absent";
  return ns.metadata?.labels?.[Labels.upgrade] === "workload" ? "ours" : "foreign";
}

/**
 * Creates the workload that must survive the upgrade in its own labelled namespace and keeps the
 * baseline in a ConfigMap there and in a local file. A baseline already there is refused.
 */
export async function prepare(kube: Kube, o: { storageClass: string; log: (line: string) => void }): Promise<string> {
  const namespace = gateNamespace();
  const existing = await ownNamespace(kube);
  if (existing === "foreign")
    throw new HarnessError(
      `namespace ${namespace} exists and is not the suite's: the upgrade gate needs it; remove it, or give the gate another --namespace`,
    );
  if (existing === "ours")
    throw new HarnessError(
      `an upgrade baseline is on this cluster already (namespace ${namespace}): run 'upgrade check' to judge it, or 'upgrade clean' to start again`,
    );
  await withRetry(() =>
    kube.core.createNamespace({
      body: {
        metadata: {
          name: namespace,
          labels: { [Labels.upgrade]: "workload", [Labels.managedBy]: managedByValue },
        },
      },
    }),
  );
  await defaultServiceAccount(kube, namespace);
  o.log(`preparing in namespace ${namespace} (StorageClass ${o.storageClass}) …`);
  let baseline: Baseline;
  let file: string;
  try {
    baseline = await prepareWorkload(kube, namespace, {
      image: fixtureImage(),
      storageClass: o.storageClass,
      log: o.log,
    });
    file = await storeBaseline(kube, baseline);
  } catch (e) {
    // a half-made workload is no baseline: removed, so that prepare can simply be run again
    await removeWorkload(kube, o.log).catch(() => undefined);
    throw e;
  }
  o.log(
    `baseline taken on ${baseline.serverVersion} (kube-system ${baseline.clusterUid}): ` +
      baseline.sets.map((s) => `${s.name} ${s.members.map((m) => `${m.pod}@${m.node}`).join(" ")}`).join("; "),
  );
  return file;
}

/** How often the watch writes what it has recorded (a watch killed hard loses at most this much). */
const snapshotEveryMs = 5000;

/** A watch under way: marks in its timeline, and its end (`endedBy`: what ended it; the recording written once more). */
export interface Watching {
  mark(what: string): void;
  finish(endedBy: string): Promise<Recording>;
}

/**
 * Starts recording the upgrade of this cluster's baseline: the recording is written every few
 * seconds, and each change of a node (readiness, cordon, kubelet version) is printed as it is seen.
 */
export async function startWatching(kube: Kube, log: (line: string) => void): Promise<Watching> {
  const baseline = await loadBaseline(kube);
  const w = await UpgradeWatch.start(kube, baseline, log);
  let printed = 0;
  const tick = () => {
    const r = w.snapshot();
    storeRecording(r);
    const entries = Object.values(r.timelines)[0] ?? [];
    for (const e of entries.slice(printed))
      if (e.kind === "Node" && e.node && e.type !== "LISTED")
        log(
          `  node ${e.name}: ${e.node.ready ? "Ready" : "NotReady"}${e.node.unschedulable ? ", cordoned" : ""}, kubelet ${e.node.kubeletVersion}`,
        );
    printed = entries.length;
  };
  const timer = setInterval(tick, snapshotEveryMs);
  log(`watching ${baseline.sets.map((s) => s.name).join(" and ")} in ${baseline.namespace}, and every node`);
  return {
    mark: (what) => w.mark(what),
    finish: async (endedBy) => {
      clearInterval(timer);
      tick();
      const r = await w.stop(endedBy);
      storeRecording(r);
      log(`recording written: ${recordingFile()}`);
      return r;
    },
  };
}

/** `upgrade watch`: records until a signal, or until `upgrade check` announces itself on the baseline's ConfigMap. */
export async function watch(kube: Kube, log: (line: string) => void): Promise<Recording> {
  const namespace = gateNamespace();
  const w = await startWatching(kube, log);
  let end: (why: string) => void = () => undefined;
  const ended = new Promise<string>((resolve) => (end = resolve));
  const announced = (cm: k8s.V1ConfigMap) => cm.metadata?.annotations?.[checkStartedAnnotation] !== undefined;
  const checkStarts = await listWatch(kube, watchOf.configMap(kube, namespace, configMap), {
    onEvent: (_type, cm) => void (announced(cm) && end(endedByCheck)),
    onList: (current) => void ([...current.values()].some(announced) && end(endedByCheck)),
  });
  const onSignal = (signal: NodeJS.Signals) => end(signal);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  log("the watch ends on Ctrl-C or when 'upgrade check' starts");
  let why: string;
  try {
    why = await ended;
    log(`${why}: the watch ends`);
  } finally {
    checkStarts.stop();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  return w.finish(why);
}

/** Waits (bounded) for a watch that is still running to write its final recording, once the check was announced. */
export async function recordingSettled(kube: Kube, log: (line: string) => void): Promise<void> {
  const baseline = await loadBaseline(kube);
  const deadline = Date.now() + Timeouts.recorderCatchUpMs;
  for (;;) {
    const r = loadRecording(baseline);
    if (!r) return log("no recording of the upgrade (no 'upgrade watch' ran): what happened during it is not judged");
    if (r.stoppedAt) return;
    // the heartbeat: a running watch writes every few seconds; one silent for longer is gone
    const silentMs = Date.now() - Date.parse(r.writtenAt);
    if (silentMs > 3 * snapshotEveryMs)
      return log(
        `the watch's last heartbeat was at ${clock(r.writtenAt)}, ${Math.round(silentMs / 1000)} s ago: it no longer runs; judging what it wrote`,
      );
    if (Date.now() > deadline) return log("the watch did not finish its recording in time: judging what it wrote last");
    await new Promise((resolve) => setTimeout(resolve, 500)); // eslint-disable-line no-restricted-syntax -- polling a file another process writes
  }
}

/** Removes the upgrade's namespace (ours only); its files stay, as the check's report. */
export async function removeWorkload(kube: Kube, log: (line: string) => void): Promise<void> {
  const namespace = gateNamespace();
  const existing = await ownNamespace(kube);
  if (existing === "foreign") throw new HarnessError(`namespace ${namespace} is not the suite's: left alone`);
  if (existing === "absent") return;
  log(`deleting namespace ${namespace}`);
  await deleteTestNamespace(kube, namespace);
}

/** `upgrade clean`: the namespace and the local files, without judging them. */
export async function clean(kube: Kube, log: (line: string) => void): Promise<void> {
  await removeWorkload(kube, log);
  for (const f of [baselineFile(), recordingFile()]) if (existsSync(f)) rmSync(f);
}
