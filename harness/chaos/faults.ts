// The chaos vocabulary: the kinds of fault a chaos run injects, and what each one disturbs.

/** Every fault kind a chaos run knows, in the order `--faults` lists them by default. */
export const faultKinds = [
  "pod-delete",
  "pod-force-delete",
  "container-kill",
  "node-pause",
  "node-stop",
  "kubelet-stop",
  "partition",
  "api-restart",
] as const;

export type FaultKind = (typeof faultKinds)[number];

/** What a fault disturbs: one member of the set, one node (and its members), or the whole control plane. */
export type FaultScope = "member" | "node" | "control-plane";

export const scopeOf: Record<FaultKind, FaultScope> = {
  "pod-delete": "member",
  "pod-force-delete": "member",
  "container-kill": "member",
  "node-pause": "node",
  "node-stop": "node",
  "kubelet-stop": "node",
  partition: "node",
  "api-restart": "control-plane",
};

/** Faults on nodes or the control plane: only on the suite's kind cluster unless explicitly allowed. */
export const isDisruptive = (kind: FaultKind) => scopeOf[kind] !== "member";

export function isFaultKind(word: string): word is FaultKind {
  return (faultKinds as readonly string[]).includes(word);
}
