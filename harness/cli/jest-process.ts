import { execa, type ResultPromise } from "execa";
import { repoRoot } from "../config/paths.js";

/**
 * Jest's Node options: ESM needs the VM-modules flag, whose "experimental" warning (once per
 * worker) is noise to a user reading the run.
 */
export const jestNodeOptions = "--experimental-vm-modules --disable-warning=ExperimentalWarning";

/** Starts Jest on the cluster project with `env` added to this process's environment. */
export function startClusterJest(
  extraArgs: string[],
  env: Record<string, string>,
  stdio: "inherit" | "pipe",
): ResultPromise<{ reject: false }> {
  return execa("npx", ["jest", "--selectProjects", "cluster", ...extraArgs], {
    cwd: repoRoot,
    stdio: stdio === "inherit" ? "inherit" : ["ignore", "pipe", "pipe"],
    reject: false,
    env: { ...env, NODE_OPTIONS: jestNodeOptions },
  }) as ResultPromise<{ reject: false }>;
}
