import { Writable } from "node:stream";
import * as k8s from "@kubernetes/client-node";
import type { Kube } from "./client.js";

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

const collector = (chunks: Buffer[]) =>
  new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      done();
    },
  });

/** Runs a command in a pod's container and returns its exit code and output. */
export async function execInPod(
  kube: Kube,
  namespace: string,
  pod: string,
  command: string[],
  container = "web",
): Promise<ExecResult> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  return new Promise<ExecResult>((resolve, reject) => {
    new k8s.Exec(kube.kc)
      .exec(namespace, pod, container, command, collector(out), collector(err), null, false, (status) => {
        const code =
          status.status === "Success"
            ? 0
            : Number(status.details?.causes?.find((c) => c.reason === "ExitCode")?.message ?? 1);
        // The status arrives before the last output frames may be flushed: resolve on close.
        setImmediate(() =>
          resolve({ exitCode: code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }),
        );
      })
      .then((ws) => ws.on("error", reject))
      .catch(reject);
  });
}

/** Runs a shell script in a pod; throws with the output when it fails. */
export async function shInPod(
  kube: Kube,
  namespace: string,
  pod: string,
  script: string,
  container = "web",
): Promise<string> {
  const r = await execInPod(kube, namespace, pod, ["sh", "-c", script], container);
  if (r.exitCode !== 0)
    throw new Error(`in ${pod}: \`${script}\` exited ${r.exitCode}: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}
