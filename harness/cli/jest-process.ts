// Jest as a child process of the CLI, on the cluster project, with the run's settings in its
// environment; stopped at once with its workers on a signal.
import { execa } from "execa";
import { join } from "node:path";
import { repoRoot } from "../config/paths.js";

/**
 * Jest's Node options: ESM needs the VM-modules flag, whose "experimental" warning (once per
 * worker) is noise to a user reading the run.
 */
export const jestNodeOptions = "--experimental-vm-modules --disable-warning=ExperimentalWarning";

/**
 * Starts Jest on the cluster project with `env` added to this process's environment, in a process
 * group of its own, so that `stopJest` reaches Jest and every worker at once.
 */
export function startClusterJest(extraArgs: string[], env: Record<string, string>, stdio: "inherit" | "pipe") {
  return execa(
    process.execPath,
    [join(repoRoot, "node_modules", "jest", "bin", "jest.js"), "--selectProjects", "cluster", ...extraArgs],
    {
      cwd: repoRoot,
      stdio: stdio === "inherit" ? "inherit" : ["ignore", "pipe", "pipe"],
      reject: false,
      detached: true,
      // NO_COLOR (no-color.org): Jest's colour library knows only FORCE_COLOR
      env: { ...env, NODE_OPTIONS: jestNodeOptions, ...(process.env.NO_COLOR ? { FORCE_COLOR: "0" } : {}) },
    },
  );
}

/** Jest running: its exit code is read, never thrown (reject: false). */
export type JestProcess = ReturnType<typeof startClusterJest>;

/** Sends `signal` to Jest's whole process group: the runner and its workers. */
export function stopJest(child: JestProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}
