// The StatefulSet naming rules (G1, G9): pure, shared by the harness, fixtures and specs.

/** The pod name of an ordinal: `<set>-<ordinal>` (G1). */
export const podName = (set: string, ordinal: number) => `${set}-${ordinal}`;

/** The claim of an ordinal for one claim template: `<template>-<set>-<ordinal>` (G9). */
export const templateClaimName = (template: string, set: string, ordinal: number) =>
  `${template}-${podName(set, ordinal)}`;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The ordinal in a pod name of the set, or undefined for a name that is not the set's. */
export function ordinalOf(set: string, pod: string): number | undefined {
  const m = new RegExp(`^${escape(set)}-(\\d+)$`).exec(pod);
  return m ? Number(m[1]) : undefined;
}

/** The pod a claim of the set belongs to (`<template>-<set>-N` -> `<set>-N`), or undefined. */
export function claimPod(template: string, set: string, claim: string): string | undefined {
  const pod = claim.startsWith(`${template}-`) ? claim.slice(template.length + 1) : undefined;
  return pod !== undefined && ordinalOf(set, pod) !== undefined ? pod : undefined;
}

/** The labels the controller puts on each member: its name, its ordinal, its revision. */
export const memberLabels = {
  podName: "statefulset.kubernetes.io/pod-name",
  podIndex: "apps.kubernetes.io/pod-index",
  revision: "controller-revision-hash",
} as const;

/** The set's revision a pod was made from, by its label. */
export const revisionOf = (pod: { metadata?: { labels?: Record<string, string> } }) =>
  pod.metadata?.labels?.[memberLabels.revision];
