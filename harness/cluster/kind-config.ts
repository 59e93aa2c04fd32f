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

/** A host directory mounted into every node of a cluster. */
export interface NodeMount {
  hostPath: string;
  containerPath: string;
}

/**
 * The kind config a cluster is made from: the written one with host directories mounted into every
 * node. The shared volume directory always (sharedVolumesPath: a volume made there is reachable
 * from every node, the movable StorageClass `shared`); others as the cluster's shape asks (the
 * prod cluster's containerd hosts directory).
 */
export function renderKindConfig(configText: string, sharedHostDir: string, more: NodeMount[] = []): string {
  const doc = parseDocument(configText);
  const nodes = doc.get("nodes");
  if (!nodes || typeof nodes !== "object" || !("items" in nodes)) throw new Error("the kind config lists no nodes");
  const added = [{ hostPath: sharedHostDir, containerPath: sharedVolumesPath }, ...more];
  for (const node of (nodes as { items: unknown[] }).items) {
    const n = node as { get(k: string): unknown; set(k: string, v: unknown): void };
    const mounts = (n.get("extraMounts") as { toJSON(): unknown[] } | undefined)?.toJSON() ?? [];
    n.set("extraMounts", doc.createNode([...mounts, ...added]));
  }
  return doc.toString();
}
