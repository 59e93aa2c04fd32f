// The fault catalogue: every kind of fault the suite makes, one entry each: what it disturbs (its
// scope), its default recovery budget, what it does, and how it is made on each path that reaches
// its target: a member through the Kubernetes API; a kind node's container through the Docker API
// (harness/cluster/kind-node.ts); any node through a privileged pod running host-fault.sh in the
// given mode (harness/cluster/node-pod.ts), which undoes the fault itself. How a fault is applied,
// verified, held, undone and its recovery judged follows from its scope (harness/faults/ and the
// chaos engine): a node fault is held until its members are evicted, then undone and verified (the
// node Ready, nothing left changed); a control-plane fault until the API server is back and its
// controllers lead again; a member fault is one act. Adding a kind: an entry here, the primitive it
// calls (if new), and a unit test.

/** What a node's container lets the suite do to it (a kind node: harness/cluster/kind-node.ts). */
export interface NodeContainer {
  /** Unsynced writes forgotten, the container killed; says what was forgotten. */
  powerCut(): Promise<string>;
  pause(): Promise<void>;
  stopKubelet(): Promise<void>;
  partition(): Promise<void>;
  /** The API server killed and started again by its kubelet; says the killed PID. */
  restartApiServer(): Promise<string>;
}

/** What the suite does to a member through the API (the scenario's actions, recorded in its timeline). */
export interface MemberActions {
  deletePod(pod: string, o: { force: boolean }): Promise<unknown>;
  killContainer(pod: string): Promise<unknown>;
}

/** What a fault disturbs: one member of the set, one node (and its members), or the whole control plane. */
export type FaultScope = "member" | "node" | "control-plane";

/** The modes of the privileged pod's script: faults it can make on the node it runs on, and undo itself. */
export type PodFaultMode = "kubelet-stop" | "partition";

interface FaultEntry {
  scope: FaultScope;
  /**
   * Seconds from the fault's lift (for a member fault, the fault itself) until every member is
   * Running, Ready and acknowledging writes again; a node fault's includes the node's return.
   */
  budgetS: number;
  /** What it does, "%s" its target. */
  what: string;
  /** A member fault, made through the API. */
  member?: (act: MemberActions, pod: string) => Promise<unknown>;
  /** Its recovery is timed from the act's start (an act that waits until it took), not its end. */
  timedFromStart?: true;
  /** Made on a kind node's container (the Docker API); may say what it found (a power cut: what it forgot). */
  docker?: (node: NodeContainer) => Promise<unknown>;
  /** Made on any node by a privileged pod in this mode, for a hold it then undoes itself. */
  pod?: PodFaultMode;
}

/**
 * In the order `--faults` lists them by default. Member faults get a minute: on a 2-core kind
 * cluster a kubelet took 25 s to act on a force-deleted pod's replacement after an API server
 * restart (its watch reconnecting), for a 31 s recovery.
 */
export const faultCatalogue = {
  "pod-delete": {
    scope: "member",
    budgetS: 60,
    what: "delete member %s",
    member: (act, pod) => act.deletePod(pod, { force: false }),
  },
  "pod-force-delete": {
    scope: "member",
    budgetS: 60,
    what: "force-delete member %s (grace period 0)",
    member: (act, pod) => act.deletePod(pod, { force: true }),
  },
  "container-kill": {
    scope: "member",
    budgetS: 60,
    what: "kill member %s's container (it restarts in place)",
    member: (act, pod) => act.killContainer(pod),
    timedFromStart: true, // the kill waits until it took: the restart count went up
  },
  "node-pause": {
    scope: "node",
    budgetS: 120,
    what: "pause node %s (its container frozen: kubelet, pods and their network)",
    docker: (n) => n.pause(),
  },
  "node-stop": {
    scope: "node",
    budgetS: 180,
    what: "power-cut node %s (unsynced writes forgotten, its container killed)",
    docker: (n) => n.powerCut(),
  },
  "kubelet-stop": {
    scope: "node",
    budgetS: 120,
    what: "stop the kubelet of node %s (its pods keep running, unsupervised)",
    docker: (n) => n.stopKubelet(),
    pod: "kubelet-stop",
  },
  partition: {
    scope: "node",
    budgetS: 120,
    what: "partition node %s from the network (control plane, nodes, pods)",
    docker: (n) => n.partition(),
    pod: "partition",
  },
  "api-restart": {
    scope: "control-plane",
    budgetS: 90,
    what: "kill the API server and start it again",
    docker: (n) => n.restartApiServer(),
  },
} satisfies Record<string, FaultEntry>;

export type FaultKind = keyof typeof faultCatalogue;

/** Every fault kind, in the order `--faults` lists them by default. */
export const faultKinds = Object.keys(faultCatalogue) as FaultKind[];

/** A kind's entry, as the engine reads it. */
export const faultEntry = (kind: FaultKind): FaultEntry => faultCatalogue[kind];

export const scopeOf = Object.fromEntries(faultKinds.map((k) => [k, faultCatalogue[k].scope])) as Record<
  FaultKind,
  FaultScope
>;

/** Faults on nodes or the control plane: only on the suite's kind cluster unless explicitly allowed. */
export const isDisruptive = (kind: FaultKind): boolean => scopeOf[kind] !== "member";

/**
 * Whether a cluster that is not the suite's kind cluster can have this kind made on it: a member
 * fault through the API, a node fault a privileged pod makes; the others act on kind's node
 * containers or control plane.
 */
export const madeOffKind = (kind: FaultKind): boolean =>
  scopeOf[kind] === "member" || faultEntry(kind).pod !== undefined;

export function isFaultKind(word: string): word is FaultKind {
  return Object.hasOwn(faultCatalogue, word);
}
