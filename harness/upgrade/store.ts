// Where the upgrade mode keeps what passes between its commands: the baseline in a ConfigMap of
// the upgrade's namespace (the cluster's copy) and in a file (the pipeline's copy); the watch's
// recording in a file beside it, written as it goes.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { paths } from "../config/paths.js";
import { setting } from "../config/settings.js";
import { HarnessError } from "../errors/harness-error.js";
import type { Kube } from "../kube/client.js";
import { Labels } from "../kube/labels.js";
import { withRetry } from "../kube/retry.js";
import { assertSameCluster, parseBaseline, type Baseline } from "./baseline.js";
import type { Recording } from "./recording.js";

/** The gate's namespace (--namespace), which `upgrade prepare` makes; its label tells the suite's sweeps to leave it alone. */
export const gateNamespace = (): string => setting("upgradeNamespace");
export const configMap = "upgrade-baseline";
/** Set on the ConfigMap by `upgrade check` when it starts: the watch stops then. */
export const checkStartedAnnotation = "sts-conformance.io/check-started";

/** The gate's files, under its namespace's name: several gates on one cluster keep theirs apart. */
export const baselineFile = () => join(paths.upgradeDir, gateNamespace(), "baseline.json");
export const recordingFile = () => join(paths.upgradeDir, gateNamespace(), "recording.json");

/** Writes a file whole or not at all (a reader never sees half of it). */
function writeAtomically(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

export async function storeBaseline(kube: Kube, b: Baseline): Promise<string> {
  const text = JSON.stringify(b, null, 2);
  await withRetry(() =>
    kube.core.createNamespacedConfigMap({
      namespace: b.namespace,
      body: {
        metadata: { name: configMap, labels: { [Labels.upgrade]: "baseline" } },
        data: { "baseline.json": text },
      },
    }),
  );
  writeAtomically(baselineFile(), text);
  return baselineFile();
}

/**
 * The baseline of this cluster: the cluster's copy (the ConfigMap), checked against the local
 * file when there is one. No baseline, or one from another cluster: one line, exit 2.
 */
export async function loadBaseline(kube: Kube): Promise<Baseline> {
  const system = await withRetry(() => kube.core.readNamespace({ name: "kube-system" }));
  const uid = system.metadata?.uid ?? "";
  const cm = await kube.core
    .readNamespacedConfigMap({ namespace: gateNamespace(), name: configMap })
    .catch((e: unknown) => ((e as { code?: number }).code === 404 ? undefined : Promise.reject(e)));
  const text = cm?.data?.["baseline.json"];
  const local = existsSync(baselineFile())
    ? parseBaseline(readFileSync(baselineFile(), "utf8"), baselineFile())
    : undefined;
  // the pipeline's copy names its cluster: one from another cluster says so, before "none here"
  if (local) assertSameCluster(local, uid, baselineFile());
  if (!text)
    throw new HarnessError(
      `no upgrade baseline on this cluster (ConfigMap ${gateNamespace()}/${configMap}): run 'upgrade prepare' before the upgrade`,
    );
  const b = parseBaseline(text, `ConfigMap ${gateNamespace()}/${configMap}`);
  assertSameCluster(b, uid, `ConfigMap ${gateNamespace()}/${configMap}`);
  if (local && local.preparedAt !== b.preparedAt)
    throw new HarnessError(
      `the baseline file ${baselineFile()} (prepared ${local.preparedAt}) is not the cluster's (prepared ${b.preparedAt}): remove the file or point STS_UPGRADE_DIR at the run's own`,
    );
  return b;
}

/** Marks the baseline as being checked: a watch still running stops and writes what it saw. */
export async function announceCheck(kube: Kube): Promise<void> {
  await withRetry(async () => {
    const cm = await kube.core.readNamespacedConfigMap({ namespace: gateNamespace(), name: configMap });
    cm.metadata = {
      ...cm.metadata,
      annotations: { ...cm.metadata?.annotations, [checkStartedAnnotation]: new Date().toISOString() },
    };
    await kube.core.replaceNamespacedConfigMap({ namespace: gateNamespace(), name: configMap, body: cm });
  });
}

export const storeRecording = (r: Recording) => writeAtomically(recordingFile(), JSON.stringify(r));

/**
 * The watch's recording of this baseline, if a watch ran (a recording of an older baseline is
 * none); one of another gate's namespace is one line, exit 2.
 */
export function loadRecording(b: Baseline): Recording | undefined {
  if (!existsSync(recordingFile())) return undefined;
  const r = JSON.parse(readFileSync(recordingFile(), "utf8")) as Recording;
  if (r.namespace !== b.namespace)
    throw new HarnessError(
      `the recording ${recordingFile()} is of the gate in namespace ${r.namespace}, not ${b.namespace}'s: give that gate's --namespace, or remove the file`,
    );
  return r.schema === 1 && r.preparedAt === b.preparedAt ? r : undefined;
}
