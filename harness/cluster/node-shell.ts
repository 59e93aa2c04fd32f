import { execa } from "execa";
import { HarnessError } from "../errors/harness-error.js";

/** A kind node's container: `<cluster>-control-plane`, `<cluster>-worker`, `<cluster>-worker2`… */
export const controlPlaneNode = (cluster: string) => `${cluster}-control-plane`;

/** Runs a shell script inside a kind node's container (as root); its stdout. */
export async function shInNode(node: string, script: string): Promise<string> {
  const r = await execa("docker", ["exec", node, "sh", "-c", script], { reject: false, stdin: "ignore" });
  if (r.exitCode !== 0) {
    throw new HarnessError(`in kind node ${node}: \`${script.slice(0, 80)}…\` failed: ${r.stderr.trim()}`);
  }
  return r.stdout;
}
