// kind-config.yaml as the suite renders and reads it: its nodes, the shared volumes' path, its digest.
import { createHash } from "node:crypto";
import { loadYaml } from "@kubernetes/client-node";
import { parseDocument } from "yaml";
import { faultNodeKey } from "../config/fault-node-key.js";

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

/** Where every node of a kind cluster sees the shared volume directory (StorageClass `shared`). */
export const sharedVolumesPath = "/var/shared-volumes";

/**
 * The marker the `shared` class's provisioner looks for before it makes a volume: without it the
 * directory is a node's own, not the shared one, and a volume there would only seem movable.
 */
export const sharedMarker = ".sts-shared";

/**
 * The kind config a cluster is made from: kind-config.yaml with one host directory mounted into
 * every node at sharedVolumesPath, so a volume made there is reachable from every node (the
 * movable StorageClass `shared`, a second local-path-provisioner with a shared filesystem path).
 */
export function renderKindConfig(configText: string, sharedHostDir: string): string {
  const doc = parseDocument(configText);
  const nodes = doc.get("nodes");
  if (!nodes || typeof nodes !== "object" || !("items" in nodes)) throw new Error("kind-config.yaml lists no nodes");
  for (const node of (nodes as { items: unknown[] }).items) {
    const n = node as { get(k: string): unknown; set(k: string, v: unknown): void };
    const mounts = (n.get("extraMounts") as { toJSON(): unknown[] } | undefined)?.toJSON() ?? [];
    n.set("extraMounts", doc.createNode([...mounts, { hostPath: sharedHostDir, containerPath: sharedVolumesPath }]));
  }
  return doc.toString();
}
