// A command in a pod's container (the exec API), its output and exit status read in full.
import { Writable } from "node:stream";
import * as k8s from "@kubernetes/client-node";
import { Inconclusive } from "../verdict/verdict.js";
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
  container: string,
): Promise<ExecResult> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  return new Promise<ExecResult>((resolve, reject) => {
    let exitCode: number | undefined;
    new k8s.Exec(kube.kc)
      .exec(namespace, pod, container, command, collector(out), collector(err), null, false, (status) => {
        exitCode =
          status.status === "Success"
            ? 0
            : Number(status.details?.causes?.find((c) => c.reason === "ExitCode")?.message ?? 1);
      })
      .then((ws) => {
        ws.on("error", (e: Error) => reject(execFailed(pod, command, e)));
        // Resolved once the stream is closed, so every output frame is in; closed without an
        // exit status (the container died under it), the exec says nothing.
        ws.on("close", () => {
          if (exitCode === undefined)
            return reject(execFailed(pod, command, new Error("the stream closed without an exit status")));
          resolve({ exitCode, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
        });
      })
      .catch((e: Error) => reject(execFailed(pod, command, e)));
  });
}

/** An exec that could not run says nothing about the guarantee: the check is inconclusive. */
const execFailed = (pod: string, command: string[], e: Error) =>
  new Inconclusive(`exec in ${pod} (${command.join(" ")}) failed: ${e.message}`, { cause: e });

/** Runs a shell script in a pod; a failing script is inconclusive, with its output. */
export async function shInPod(
  kube: Kube,
  namespace: string,
  pod: string,
  script: string,
  container: string,
): Promise<string> {
  const r = await execInPod(kube, namespace, pod, ["sh", "-c", script], container);
  if (r.exitCode !== 0)
    throw new Inconclusive(`in ${pod}: \`${script}\` exited ${r.exitCode}: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}
