// What the air-gapped image build (harness/images/) made or pins, as the suite reads it: the image
// fixtures run, and the Kubernetes versions it builds by default.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { paths, repoRoot } from "./paths.js";
import { setting } from "./settings.js";

/**
 * The image fixtures run (busybox: sh, httpd, nslookup, sha256sum). On the air-gapped kind
 * cluster it is the one the image build put on every node; elsewhere, STS_FIXTURE_IMAGE or busybox.
 */
export function fixtureImage(): string {
  if (setting("fixtureImage")) return setting("fixtureImage");
  try {
    return readFileSync(join(paths.cacheDir, "artifacts", "busybox-image", "image"), "utf8").trim();
  } catch {
    return "busybox:1.36";
  }
}

const pinned = (name: string): string => {
  const env = readFileSync(join(repoRoot, "harness", "images", "versions.env"), "utf8");
  return new RegExp(`^${name}=(\\S+)$`, "m").exec(env)?.[1] ?? "";
};

/** The Kubernetes release the image build makes by default (harness/images/versions.env). */
export const pinnedKubernetesVersion = () => pinned("KUBERNETES_VERSION");

/** What `upgrade rehearse` upgrades from by default: the previous minor (harness/images/versions.env). */
export const pinnedUpgradeFrom = () => pinned("UPGRADE_FROM_VERSION");
