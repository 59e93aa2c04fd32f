// What a storage run expects of its StorageClass, promise by promise: what the profile claims, or,
// without a profile, what the cluster says (the class's binding mode and expansion flag, the node
// affinity of the volume the preflight canary was given), each marked inferred. Handed from the
// global setup to the tests and the reporter as one JSON setting.
import type * as k8s from "@kubernetes/client-node";
import { setting } from "../config/settings.js";
import {
  defaultBudgetsS,
  latencyOperations,
  type AccessMode,
  type BindingMode,
  type LatencyOperation,
  type StorageProfile,
  type Topology,
} from "./profile.js";

/** Where an expectation comes from: the vendor's profile, or the suite reading the cluster. */
export type Source = "claimed" | "inferred";

export interface Expectation<T> {
  value: T;
  source: Source;
  /** What it rests on, for the report: "the profile", "StorageClass x: volumeBindingMode …". */
  basis: string;
  /** Nothing to infer it from (no canary volume): each test takes what it sees of its own volumes. */
  asSeen?: true;
}

export interface Expectations {
  storageClass: string;
  /** The profile file, when there is one. */
  profile?: string;
  provisioner: string;
  claimSize: string;
  topology: Expectation<Topology>;
  zoneKey?: string;
  accessModes: Expectation<AccessMode[]>;
  bindingMode: Expectation<BindingMode>;
  expansion: Expectation<boolean>;
  fsGroup: Expectation<boolean>;
  powerLossDurable: Expectation<boolean>;
  budgetsS: Record<LatencyOperation, { seconds: number; source: "profile" | "default" }>;
  /** Capabilities the profile waives on this target, with its reasons. */
  waived?: StorageProfile["waived"];
}

const hostnameKey = "kubernetes.io/hostname";

/** The keys a volume's required node affinity constrains, and the values it allows per key. */
function affinity(pv: k8s.V1PersistentVolume | undefined): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  for (const term of pv?.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? [])
    for (const e of term.matchExpressions ?? [])
      if (e.operator === "In") keys.set(e.key, [...(keys.get(e.key) ?? []), ...(e.values ?? [])]);
  return keys;
}

/** The nodes a volume's node affinity pins it to by hostname (none: it is not pinned to a node). */
export const pinnedNodes = (pv: k8s.V1PersistentVolume | undefined): string[] => affinity(pv).get(hostnameKey) ?? [];

/**
 * The topology a bound volume shows: no node affinity, any node; the hostname key, its node; any
 * other key (a zone, a region, a rack), zonal by that key.
 */
export function volumeTopology(pv: k8s.V1PersistentVolume | undefined): { topology: Topology; key?: string } {
  const keys = affinity(pv);
  if (keys.size === 0) return { topology: "any-node" };
  if (keys.has(hostnameKey)) return { topology: "node-pinned", key: hostnameKey };
  return { topology: "zonal", key: [...keys.keys()][0] ?? "" };
}

const budgets = (profile: StorageProfile | undefined): Expectations["budgetsS"] =>
  Object.fromEntries(
    latencyOperations.map((op) => {
      const given = profile?.budgetsS[op];
      return [
        op,
        given === undefined
          ? { seconds: defaultBudgetsS[op], source: "default" }
          : { seconds: given, source: "profile" },
      ];
    }),
  ) as Expectations["budgetsS"];

/** The expectations a profile states: every one claimed. */
export function claimed(profile: StorageProfile, sc: k8s.V1StorageClass | undefined): Expectations {
  const c = <T>(value: T): Expectation<T> => ({ value, source: "claimed", basis: `the profile ${profile.file}` });
  const p = profile.promises;
  return {
    storageClass: profile.storageClass,
    profile: profile.file,
    provisioner: sc?.provisioner ?? "(unknown)",
    claimSize: profile.claimSize,
    topology: c(p.topology),
    ...(p.zoneKey ? { zoneKey: p.zoneKey } : {}),
    accessModes: c(p.accessModes),
    bindingMode: c(p.bindingMode),
    expansion: c(p.expansion),
    fsGroup: c(p.fsGroup),
    powerLossDurable: c(p.powerLossDurable),
    budgetsS: budgets(profile),
    waived: profile.waived,
  };
}

/** The expectations read from the cluster: the class itself and the canary's bound volume. */
export function inferred(
  sc: k8s.V1StorageClass,
  canaryVolume: k8s.V1PersistentVolume | undefined,
  claimSize: string,
): Expectations {
  const name = sc.metadata?.name ?? "";
  const i = <T>(value: T, basis: string): Expectation<T> => ({ value, source: "inferred", basis });
  const shown = volumeTopology(canaryVolume);
  const where = canaryVolume
    ? `the canary's volume ${canaryVolume.metadata?.name}: ${shown.key ? `node affinity on ${shown.key}` : "no node affinity"}`
    : "no canary volume (--skip-preflight): each test takes what it sees of its own volumes";
  return {
    storageClass: name,
    provisioner: sc.provisioner,
    claimSize,
    topology: canaryVolume ? i(shown.topology, where) : { ...i<Topology>("node-pinned", where), asSeen: true },
    ...(shown.topology === "zonal" && shown.key ? { zoneKey: shown.key } : {}),
    accessModes: i(["ReadWriteOnce"], "what every StatefulSet claim asks"),
    bindingMode: i(
      (sc.volumeBindingMode ?? "Immediate") as BindingMode,
      `StorageClass ${name}: volumeBindingMode ${sc.volumeBindingMode ?? "(unset: Immediate)"}`,
    ),
    expansion: i(
      sc.allowVolumeExpansion === true,
      `StorageClass ${name}: allowVolumeExpansion ${sc.allowVolumeExpansion ?? "(unset)"}`,
    ),
    fsGroup: i(false, "nothing the cluster says promises it"),
    powerLossDurable: i(false, "only a profile can promise it"),
    budgetsS: budgets(undefined),
  };
}

/** The run's expectations, exported by the global setup (undefined only outside a run: unit tests). */
export function runExpectations(): Expectations | undefined {
  const raw = setting("storageExpectations");
  return raw ? (JSON.parse(raw) as Expectations) : undefined;
}
