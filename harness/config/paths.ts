// Where things are: the repository, its scripts, the cache, the state and report directories.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { setting } from "./settings.js";

/** The repository root (this file is harness/config/paths.ts). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Where things are. Getters: settings are validated when first used, inside the CLI's error handling. */
export const paths = {
  imageBuild: join(repoRoot, "harness", "images", "build.sh"),
  hostSetup: join(repoRoot, "harness", "host", "setup.sh"),
  kindConfig: join(repoRoot, "kind-config.yaml"),
  /** The production-shaped cluster's (cluster up --shape prod). */
  prodKindConfig: join(repoRoot, "kind-config-prod.yaml"),
  /** Build caches shared with harness/images/build.sh; they live outside the repository. */
  get cacheDir(): string {
    return setting("cacheDir");
  },
  /** Kubeconfigs of the kind clusters we create: never the user's ~/.kube/config. */
  get stateDir(): string {
    return setting("stateDir");
  },
  get reportsDir(): string {
    return setting("reportsDir") || join(repoRoot, "reports");
  },
  /** The upgrade mode's baseline and recording, between its commands. */
  get upgradeDir(): string {
    return setting("upgradeDir") || join(this.reportsDir, "upgrade");
  },
  /** The kind CLI the image build compiles at the pinned version. */
  get builtKind(): string {
    return join(setting("cacheDir"), "artifacts", "kind", "kind");
  },
};
