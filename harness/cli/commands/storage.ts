// `storage`: what a StorageClass does for a StatefulSet, a verdict per capability, claimed (by a
// profile) against verified; and the profile's part of `run --profile`.
import { resolve } from "node:path";
import { faultKinds, isDisruptive, madeOffKind } from "../../chaos/catalogue.js";
import { setting, settingsEnv, settingsEnvName } from "../../config/settings.js";
import { HarnessError } from "../../errors/harness-error.js";
import { loadProfile } from "../../storage/profile.js";
import { log, type Command, type RunOptions } from "../command.js";
import { onCluster } from "../flags.js";
import { runTests } from "../jest-run.js";
import { otherCluster } from "../target.js";
import { withHtml } from "./report.js";

/** The storage run's chaos round: every node and control-plane fault this target can have made. */
function chaosRoundOf(o: RunOptions): string[] {
  const kind = !otherCluster(o);
  const round = faultKinds.filter(isDisruptive).filter((k) => kind || madeOffKind(k));
  const left = faultKinds.filter(isDisruptive).filter((k) => !round.includes(k));
  if (left.length > 0)
    log(`chaos round: ${round.join(", ")} (${left.join(", ")} need the suite's kind cluster: not tried here)`);
  return round;
}

/**
 * `storage` and `run` with a storage profile (flag or setting): the profile parsed first, strictly;
 * its class is the run's, and a different --storage-class is bad input. The tests and the reporter
 * learn the profile from the settings: its claims against what the run verified.
 */
export async function withProfile(o: RunOptions, profileOfRun: "guarantees" | "storage"): Promise<number> {
  const file = o.profile ?? (setting("storageProfile") || undefined);
  if (!file) return runTests(o, profileOfRun);
  const profile = loadProfile(file);
  const asked = o.storageClass ?? (setting("storageClass") || undefined);
  if (asked && asked !== profile.storageClass)
    throw new HarnessError(
      `--storage-class ${asked} contradicts the profile ${file}, which is of StorageClass ${profile.storageClass}: give one of them`,
    );
  log(`storage profile ${file}: StorageClass ${profile.storageClass}`);
  return runTests(
    { ...o, storageClass: profile.storageClass },
    profileOfRun,
    settingsEnv({
      storageProfile: resolve(file),
      claimSize: profile.claimSize,
      // the chaos round proves writes-survive-node-faults: the node and control-plane faults this
      // target can have made (a member's own faults are the workload test's); a user's choice stands
      ...(profileOfRun === "storage" && process.env[settingsEnvName("chaosFaults")] === undefined
        ? { chaosFaults: chaosRoundOf(o).join(",") }
        : {}),
    }),
  );
}

export const storageCommand: Command = {
  words: "storage",
  summary: `what a StorageClass does for a StatefulSet: the tests that prove each capability, a verdict per capability, claimed against verified (--profile F: what the class promises; without one, what the cluster says, marked inferred), and latencies`,
  flags: [...onCluster, "focus", "skip", "list", "json", "profile", "rerun-failed"],
  settings: ["storageClass", "storageProfile", "claimSize", "allowDisruptive", "canaryS", "chaosFaults"],
  examples: [
    "sts-conformance storage --kubeconfig ~/.kube/config --profile my-class.yaml",
    "sts-conformance storage --storage-class fast-ssd --list",
  ],
  run: (o) => withHtml(o, () => withProfile(o, "storage")),
};
