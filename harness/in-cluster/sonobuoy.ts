// Sonobuoy's plugin contract (v0.57): the plugin's container is given SONOBUOY=true, its results
// directory and the worker's progress port; it writes its results there and then a `done` file
// naming the file to send (a tar.gz: Sonobuoy unpacks it and reads its JUnit files). The worker
// relays progress updates (POST localhost:<port>/progress) to `sonobuoy status`.
import { execa } from "execa";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The results directory when running as a Sonobuoy plugin. */
export const sonobuoyResultsDir = (env: NodeJS.ProcessEnv = process.env): string | undefined =>
  env.SONOBUOY === "true" && env.SONOBUOY_RESULTS_DIR ? env.SONOBUOY_RESULTS_DIR : undefined;

/** What `sonobuoy status` shows of a running plugin (Sonobuoy's ProgressUpdate). */
export interface ProgressUpdate {
  msg: string;
  total: number;
  completed: number;
  failures?: string[];
}

/**
 * A sender of progress updates to the worker, when running as a plugin. Best effort: an update
 * that cannot be sent within 2 s is dropped (the results are what count), and said once.
 */
export function progressSender(env: NodeJS.ProcessEnv = process.env): ((u: ProgressUpdate) => void) | undefined {
  const port = env.SONOBUOY_PROGRESS_PORT;
  if (!sonobuoyResultsDir(env) || !port) return undefined;
  let warned = false;
  return (u) => {
    fetch(`http://localhost:${port}/progress`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(u),
      signal: AbortSignal.timeout(2000),
    }).catch((e: unknown) => {
      if (!warned) process.stderr.write(`[sts] Sonobuoy's progress endpoint did not take an update: ${String(e)}\n`);
      warned = true;
    });
  };
}

/**
 * The reports handed to Sonobuoy: `reports` as one tar.gz in Sonobuoy's results directory, named
 * in its `done` file there (the worker waits on that file, wherever STS_REPORTS_DIR points).
 */
export async function handToSonobuoy(reports: string, results: string): Promise<string> {
  // made outside the directory it archives (tar refuses a directory that grows as it reads it)
  const work = mkdtempSync(join(tmpdir(), "sts-results-"));
  const file = join(results, "sts-conformance-results.tar.gz");
  try {
    await execa("tar", ["-czf", join(work, "results.tar.gz"), "-C", reports, "."]);
    copyFileSync(join(work, "results.tar.gz"), file);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  writeFileSync(join(results, "done"), file);
  return file;
}
