// The CPU a kind cluster's nodes use: each node container's cgroup counter (v1 or v2), sampled
// while a command runs. What the cluster itself did, apart from the suite's own processes.
import { execa } from "execa";
import { readFileSync } from "node:fs";
import type { CpuInterval } from "./cpu-attribution.js";

/** A container's CPU so far (ns), from its cgroup on this host; undefined when neither layout has it. */
function usageNs(id: string): number | undefined {
  try {
    return Number(readFileSync(`/sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`, "utf8"));
  } catch {
    try {
      const stat = readFileSync(`/sys/fs/cgroup/system.slice/docker-${id}.scope/cpu.stat`, "utf8");
      return Number(/^usage_usec (\d+)/m.exec(stat)?.[1]) * 1000;
    } catch {
      return undefined;
    }
  }
}

const nodeContainers = async (cluster: string): Promise<string[]> =>
  (await execa("docker", ["ps", "-q", "--no-trunc", "--filter", `label=io.x-k8s.kind.cluster=${cluster}`])).stdout
    .split("\n")
    .filter(Boolean);

/** The host's busy and total CPU time so far (USER_HZ ticks, /proc/stat): how saturated it was. */
export function hostCpu(): { busy: number; total: number } {
  const fields = (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "").split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle, iowait
  return { busy: total - idle, total };
}

/**
 * CPU seconds this process's ended children used, theirs included (/proc/self/stat: cutime,
 * cstime): after a run, the CLI, Jest and its workers, the kind and docker clients they ran.
 */
export function childrenCpuS(): number {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // after the command's name: state is field 3, so cutime (16) and cstime (17) are at 13 and 14
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/**
 * Samples cluster `cluster`'s node containers every `everyMs` until stopped: the CPU they used in
 * each interval. Containers are looked up again every few samples (a run may create the cluster);
 * a container's first reading only starts its count. `readable` is false when no node's cgroup
 * could be read here (Docker on another host, another cgroup layout).
 */
export function sampleNodeCpu(cluster: string, everyMs = 2000) {
  const intervals: CpuInterval[] = [];
  const last = new Map<string, number>();
  let ids: string[] = [];
  let readable = false;
  let running = true;
  const loop = (async () => {
    let previous = Date.now();
    for (let tick = 0; running; tick++) {
      if (ids.length === 0 || tick % 5 === 0) ids = await nodeContainers(cluster).catch(() => ids);
      const now = Date.now();
      let cpuNs = 0;
      for (const id of ids) {
        const ns = usageNs(id);
        if (ns === undefined) continue;
        readable = true;
        const before = last.get(id);
        if (before !== undefined) cpuNs += Math.max(0, ns - before);
        last.set(id, ns);
      }
      intervals.push({ from: previous, to: now, cpuNs });
      previous = now;
      // eslint-disable-next-line no-restricted-syntax -- the sampling interval
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop(): Promise<{ intervals: CpuInterval[]; readable: boolean }> {
      running = false;
      await loop;
      return { intervals, readable };
    },
  };
}
