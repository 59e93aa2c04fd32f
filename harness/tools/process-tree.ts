// The process a command's work runs in, and its memory: for the tools that measure a command they
// start (bin/ may re-run it on the project's Node, one level down).
import { execa } from "execa";
import { readFileSync } from "node:fs";

/** The deepest process of `pid`'s tree (first child at each level): the one doing the work. */
export async function deepestProcess(pid: number): Promise<number> {
  const { stdout } = await execa("pgrep", ["-P", String(pid)], { reject: false });
  const child = Number(stdout.split("\n")[0]);
  return child > 0 ? deepestProcess(child) : pid;
}

/** A process's resident memory (MB), or undefined once it has ended. */
export function rssMb(pid: number): number | undefined {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
  } catch {
    return undefined;
  }
}
