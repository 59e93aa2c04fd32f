// Hand-made timelines, good and bad, for the checkers' unit tests: each checker must pass the good
// one and flag the bad one (the negative-control rule of the real cluster), and a watch gap that
// may hide a violation must show as a gap, never as a pass.
import type { ClaimSnapshot, EntryType, NodeSnapshot, PodSnapshot, TimelineEntry } from "./entry.js";

type PodStep = [EntryType, string, Partial<PodSnapshot>?];
export type Step =
  | PodStep
  | ["RELIST", string[]]
  | ["CLAIM", EntryType, string, Partial<ClaimSnapshot>?]
  | ["NODE", EntryType, string, Partial<NodeSnapshot>?];

/** Pod steps by default; each object's resourceVersion changes with every event about it. */
export function timeline(steps: Step[]): TimelineEntry[] {
  const versions = new Map<string, number>();
  const rv = (name: string, bump: boolean) => {
    if (bump) versions.set(name, (versions.get(name) ?? 0) + 1);
    return String(versions.get(name) ?? 0);
  };
  return steps.map((s, seq): TimelineEntry => {
    const base = { seq, t: seq * 100 };
    if (s[0] === "RELIST") return { ...base, kind: "Pod", type: "RELIST", name: "(watch expired)", listed: [...s[1]] };
    if (s[0] === "CLAIM") {
      const [, type, name, claim] = s;
      const snapshot = { phase: "Bound", volume: `pv-${name}`, terminating: false, owners: [], ...claim };
      return { ...base, kind: "PersistentVolumeClaim", type, name, claim: snapshot };
    }
    if (s[0] === "NODE") {
      const [, type, name, node] = s;
      const snapshot = { ready: true, unschedulable: false, kubeletVersion: "v1.36.3", ...node };
      return { ...base, kind: "Node", type, name, resourceVersion: rv(name, true), node: snapshot };
    }
    const [type, name, pod] = s as PodStep;
    return {
      ...base,
      kind: "Pod",
      type,
      name,
      resourceVersion: rv(name, type !== "LISTED"),
      pod: { name, uid: `${name}-uid`, phase: "Pending", ready: false, terminating: false, ...pod },
    };
  });
}
export const ready: Partial<PodSnapshot> = { phase: "Running", ready: true };
export const terminating: Partial<PodSnapshot> = { phase: "Running", ready: true, terminating: true };
