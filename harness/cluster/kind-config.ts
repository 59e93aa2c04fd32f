import { createHash } from "node:crypto";
import { loadYaml } from "@kubernetes/client-node";
import { faultNodeKey } from "../config/fault-node.js";

interface KindNode {
  role?: string;
  labels?: Record<string, string>;
}

/**
 * The worker node names kind gives a cluster made from `configText`: `<name>-worker`,
 * `<name>-worker2`, … in the order the config lists them (read from the config: no cluster needed),
 * without the node reserved for the node-loss scenarios.
 */
export function kindWorkerNames(configText: string, cluster: string): string[] {
  const nodes = loadYaml<{ nodes?: KindNode[] }>(configText).nodes ?? [];
  return nodes
    .filter((n) => n.role === "worker")
    .map((n, i) => ({
      name: `${cluster}-worker${i === 0 ? "" : i + 1}`,
      reserved: n.labels?.[faultNodeKey] === "true",
    }))
    .filter((n) => !n.reserved)
    .map((n) => n.name);
}

/** What a cluster was made from: a cluster made from another kind-config.yaml is not reused. */
export const kindConfigDigest = (configText: string): string =>
  createHash("sha256").update(configText).digest("hex").slice(0, 16);
