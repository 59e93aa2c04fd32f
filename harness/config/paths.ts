import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file is harness/config/paths.ts). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Build caches shared with harness/images/build.sh; they live outside the repository. */
export const cacheDir = process.env.STS_CACHE_DIR ?? "/var/cache/sts-conformance";

/** Kubeconfigs of the kind clusters we create: never the user's ~/.kube/config. */
export const stateDir = process.env.STS_STATE_DIR ?? join(homedir(), ".cache", "sts-conformance");

export const reportsDir = process.env.STS_REPORTS_DIR ?? join(repoRoot, "reports");

export const paths = {
  imageBuild: join(repoRoot, "harness", "images", "build.sh"),
  hostSetup: join(repoRoot, "harness", "host", "setup.sh"),
  kindConfig: join(repoRoot, "kind-config.yaml"),
  /** The kind CLI the image build compiles at the pinned version. */
  builtKind: join(cacheDir, "artifacts", "kind", "kind"),
} as const;
