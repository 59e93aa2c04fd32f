// A storage profile: what a StorageClass promises a StatefulSet, written by its vendor in YAML and
// checked here before any cluster is touched. The parse is strict on purpose: the upstream
// external-storage suite ignores unknown keys, so a typo there silently drops a capability from
// the run. Here an unknown key (at any depth), a wrong type or two promises that contradict each
// other is one line naming the key's path, exit 2. profile.schema.json says the same for editors.
import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { capabilityIds, type CapabilityId } from "../catalogue/capabilities.js";
import { HarnessError } from "../errors/harness-error.js";

export const profileApiVersion = "sts-conformance.io/v1";
export const profileKind = "StorageProfile";

/** Where a member's volume can be used: on its node only, in its zone only, or from every node. */
export const topologies = ["node-pinned", "zonal", "any-node"] as const;
export type Topology = (typeof topologies)[number];

export const accessModes = ["ReadWriteOnce", "ReadWriteOncePod", "ReadOnlyMany", "ReadWriteMany"] as const;
export type AccessMode = (typeof accessModes)[number];

export const bindingModes = ["WaitForFirstConsumer", "Immediate"] as const;
export type BindingMode = (typeof bindingModes)[number];

/** The operations a profile gives a latency budget for, each measured by the storage run. */
export const latencyOperations = ["bound", "attachAndMount", "moveAfterDrain", "expansion"] as const;
export type LatencyOperation = (typeof latencyOperations)[number];

export const latencyMeaning: Record<LatencyOperation, string> = {
  bound: "claim created → Bound",
  attachAndMount: "pod scheduled → Running (attach and mount)",
  moveAfterDrain: "drained member → Ready on another node",
  expansion: "expansion requested → filesystem grown",
};

/** A budget a profile does not give: generous, so only a class that hangs is over it. */
export const defaultBudgetsS: Record<LatencyOperation, number> = {
  bound: 120,
  attachAndMount: 120,
  moveAfterDrain: 300,
  expansion: 300,
};

/** What a class promises; each promise is a capability the storage run verifies. */
export interface Promises {
  topology: Topology;
  /** The node label naming a volume's zone (zonal only). */
  zoneKey?: string;
  accessModes: AccessMode[];
  bindingMode: BindingMode;
  /** A bound claim can be grown (the claim patched) and the pod's filesystem grows with it. */
  expansion: boolean;
  /** A pod's fsGroup owns the volume. */
  fsGroup: boolean;
  /** An fsynced write survives a power cut of its node. */
  powerLossDurable: boolean;
}

export interface StorageProfile {
  /** Where it was read from (for messages). */
  file: string;
  storageClass: string;
  /** The size of every claim the run makes (a class may have a minimum). */
  claimSize: string;
  promises: Promises;
  /** Seconds each operation may take at most; absent: the suite's default. */
  budgetsS: Partial<Record<LatencyOperation, number>>;
  /**
   * Capabilities this target cannot try, by id, each with the vendor's reason (no one can stop a
   * node of this cluster, say): printed in the matrix and JUnit, never held, never failing the run.
   */
  waived: Partial<Record<CapabilityId, string>>;
}

/** A Kubernetes quantity of bytes, as a claim's request takes it. */
const quantity = /^(\d+)(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$/;
const unit: Record<string, number> = {
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
};

/** The bytes of a quantity `parseProfile` accepted. */
export function quantityBytes(q: string): number {
  const m = quantity.exec(q);
  if (!m) throw new HarnessError(`"${q}" is not a size such as 64Mi or 1Gi`);
  return Number(m[1]) * (unit[m[2] ?? ""] ?? 1);
}

type Json = unknown;

const kindOf = (v: Json): string =>
  v === null
    ? "null"
    : Array.isArray(v)
      ? "a list"
      : typeof v === "object"
        ? "a map"
        : `the ${typeof v} ${JSON.stringify(v)}`;

/** The checks of one file: each failure is one line, `FILE: path: what`. */
class Reader {
  constructor(private readonly file: string) {}

  fail(path: string, what: string): never {
    throw new HarnessError(`storage profile ${this.file}: ${path ? `${path}: ` : ""}${what}`);
  }

  map(v: Json, path: string, keys: { required: string[]; optional: string[] }): Record<string, Json> {
    if (v === null || typeof v !== "object" || Array.isArray(v)) this.fail(path, `must be a map, got ${kindOf(v)}`);
    const m = v as Record<string, Json>;
    const known = [...keys.required, ...keys.optional];
    for (const k of Object.keys(m))
      if (!known.includes(k)) this.fail(join(path, k), `unknown key (known here: ${known.join(", ")})`);
    for (const k of keys.required) if (!(k in m)) this.fail(join(path, k), "missing");
    return m;
  }

  string(v: Json, path: string, pattern?: RegExp, want = "a string"): string {
    if (typeof v !== "string" || v === "" || (pattern && !pattern.test(v)))
      this.fail(path, `must be ${want}, got ${kindOf(v)}`);
    return v;
  }

  oneOf<T extends string>(v: Json, path: string, values: readonly T[]): T {
    if (typeof v !== "string" || !(values as readonly string[]).includes(v))
      this.fail(path, `must be one of ${values.join(", ")}, got ${kindOf(v)}`);
    return v as T;
  }

  boolean(v: Json, path: string): boolean {
    if (typeof v !== "boolean") this.fail(path, `must be true or false, got ${kindOf(v)}`);
    return v;
  }

  seconds(v: Json, path: string): number {
    if (typeof v !== "number" || !Number.isFinite(v) || v <= 0 || v > 86_400)
      this.fail(path, `must be a number of seconds above 0 and at most 86400, got ${kindOf(v)}`);
    return v;
  }
}

/** The keys of each map of a profile (profile.schema.json lists the same; a unit test holds them together). */
export const profileKeys = {
  top: { required: ["apiVersion", "kind", "storageClass", "claimSize", "promises"], optional: ["budgets", "waived"] },
  promises: {
    required: ["topology", "accessModes", "bindingMode", "expansion", "fsGroup", "powerLossDurable"],
    optional: ["zoneKey"],
  },
  budgets: { required: [], optional: [...latencyOperations] },
  waived: { required: [], optional: [...capabilityIds] },
};

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

// A DNS subdomain: what Kubernetes accepts as a StorageClass name.
const objectName = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const labelKey = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** Parses a profile's text; throws a one-line HarnessError naming the first key that is wrong. */
export function parseProfile(text: string, file: string): StorageProfile {
  const r = new Reader(file);
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  const error = doc.errors[0];
  if (error) r.fail("", `not YAML: ${error.message.split("\n")[0]}`);
  const top = r.map(doc.toJS() as Json, "", profileKeys.top);
  if (top.apiVersion !== profileApiVersion)
    r.fail("apiVersion", `must be ${profileApiVersion}, got ${kindOf(top.apiVersion)}`);
  if (top.kind !== profileKind) r.fail("kind", `must be ${profileKind}, got ${kindOf(top.kind)}`);
  const p = r.map(top.promises, "promises", profileKeys.promises);
  if (!Array.isArray(p.accessModes) || p.accessModes.length === 0)
    r.fail(
      "promises.accessModes",
      `must be a non-empty list of ${accessModes.join(", ")}, got ${kindOf(p.accessModes)}`,
    );
  const promises: Promises = {
    topology: r.oneOf(p.topology, "promises.topology", topologies),
    accessModes: (p.accessModes as Json[]).map((m, i) => r.oneOf(m, `promises.accessModes[${i}]`, accessModes)),
    bindingMode: r.oneOf(p.bindingMode, "promises.bindingMode", bindingModes),
    expansion: r.boolean(p.expansion, "promises.expansion"),
    fsGroup: r.boolean(p.fsGroup, "promises.fsGroup"),
    powerLossDurable: r.boolean(p.powerLossDurable, "promises.powerLossDurable"),
    ...(p.zoneKey === undefined
      ? {}
      : { zoneKey: r.string(p.zoneKey, "promises.zoneKey", labelKey, "a node label key") }),
  };
  const b = top.budgets === undefined ? {} : r.map(top.budgets, "budgets", profileKeys.budgets);
  const budgetsS: StorageProfile["budgetsS"] = {};
  for (const op of latencyOperations) if (b[op] !== undefined) budgetsS[op] = r.seconds(b[op], `budgets.${op}`);
  const w = top.waived === undefined ? {} : r.map(top.waived, "waived", profileKeys.waived);
  const waived: StorageProfile["waived"] = {};
  for (const id of capabilityIds)
    if (w[id] !== undefined) waived[id] = r.string(w[id], `waived.${id}`, /\S/, "the reason it cannot be tried here");
  const profile: StorageProfile = {
    file,
    waived,
    storageClass: r.string(top.storageClass, "storageClass", objectName, "a StorageClass name"),
    claimSize: r.string(top.claimSize, "claimSize", quantity, "a size such as 64Mi or 1Gi"),
    promises,
    budgetsS,
  };
  contradictions(profile, r);
  return profile;
}

/** Promises that cannot all hold at once, and budgets for what the class does not promise. */
function contradictions(p: StorageProfile, r: Reader): void {
  const { topology, zoneKey, bindingMode, accessModes: modes, expansion } = p.promises;
  if (zoneKey !== undefined && topology !== "zonal")
    r.fail("promises.zoneKey", `belongs to topology zonal, but the topology is ${topology}`);
  if (topology === "node-pinned" && bindingMode === "Immediate")
    r.fail(
      "promises.bindingMode",
      "Immediate contradicts topology node-pinned: a volume bound before its pod is scheduled pins it to a node chosen blindly (WaitForFirstConsumer)",
    );
  if (topology === "node-pinned" && modes.includes("ReadWriteMany"))
    r.fail(
      "promises.accessModes",
      "ReadWriteMany contradicts topology node-pinned: pods on other nodes cannot reach the volume",
    );
  if (topology === "node-pinned" && p.budgetsS.moveAfterDrain !== undefined)
    r.fail(
      "budgets.moveAfterDrain",
      "a node-pinned volume does not move: remove it, or promise topology zonal or any-node",
    );
  if (!expansion && p.budgetsS.expansion !== undefined)
    r.fail(
      "budgets.expansion",
      "expansion is not promised (promises.expansion: false): remove it, or promise expansion",
    );
  if (!modes.includes("ReadWriteOnce") && !modes.includes("ReadWriteOncePod"))
    r.fail(
      "promises.accessModes",
      "a StatefulSet's claims need ReadWriteOnce or ReadWriteOncePod; promise one of them",
    );
}

/** Reads and parses a profile file (one line, exit 2, when it cannot be read). */
export function loadProfile(file: string): StorageProfile {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new HarnessError(
      `storage profile ${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  return parseProfile(text, file);
}
