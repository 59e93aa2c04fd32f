// What must survive an upgrade: an OrderedReady and a Parallel set with claims, one member per node
// as far as the nodes go, each under a PodDisruptionBudget of one; a file of random bytes on every
// member with its checksum; and the acknowledged-write workload (a writer DaemonSet of one pod, on a
// node without members when there is one) writing to every member throughout. `prepare` makes it
// and takes the baseline.
import type * as k8s from "@kubernetes/client-node";
import { podDisruptionBudget } from "../../fixtures/pod-disruption-budget.js";
import { clientContainer } from "../../fixtures/client-pod.js";
import { claimName, headlessService, webStatefulSet } from "../../fixtures/web-statefulset.js";
import { webContainer, writePayload } from "../../fixtures/web-pod.js";
import { writerDaemonSet, writerPauseMs, writerStopFile, writerStoppedFile } from "../../fixtures/writer-pod.js";
import { Timeouts } from "../config/timeouts.js";
import { HarnessError } from "../errors/harness-error.js";
import type { Kube } from "../kube/client.js";
import { parseNslookup } from "../kube/dns.js";
import { isNodeReady } from "../kube/nodes.js";
import { shInPod } from "../kube/exec.js";
import { withRetry } from "../kube/retry.js";
import { createSet, waitForReadyPods, waitForSet } from "../kube/statefulsets.js";
import { waitFor } from "../kube/watch.js";
import { watchOf } from "../kube/watch-of.js";
import { podName } from "../statefulset/naming.js";
import { foldWriterLine, type Ledger } from "../workload/ledger.js";
import { Writer } from "../workload/writer.js";
import type { Baseline, MemberBaseline, NodeVersions, SetBaseline } from "./baseline.js";
import type { Binding } from "./judgements.js";

/** The governing Service both sets name: every member has a DNS name `<pod>.members.<ns>.svc`. */
export const membersService = "members";
const memberLabel = "sts-conformance.io/upgrade-member";
export const writerName = "writer";

export const upgradeSets: Array<{ name: string; podManagementPolicy: SetBaseline["podManagementPolicy"] }> = [
  { name: "ordered", podManagementPolicy: "OrderedReady" },
  { name: "parallel", podManagementPolicy: "Parallel" },
];
/** One member per node of a kind cluster (the control plane and two workers; the fault node is left out). */
export const replicas = 3;
export const maxUnavailable = 1;

const memberNames = () => upgradeSets.flatMap((s) => Array.from({ length: replicas }, (_, i) => podName(s.name, i)));

/** The PersistentVolume's own storage identity: a CSI handle, a local or host path. */
function volumeHandle(pv: k8s.V1PersistentVolume): string {
  const s = pv.spec;
  return s?.csi?.volumeHandle ?? s?.local?.path ?? s?.hostPath?.path ?? `(${Object.keys(s ?? {}).join(",")})`;
}

/** What a claim is bound to now (volume and storage; "" while unbound), or undefined when the claim is gone. */
export async function claimBinding(kube: Kube, namespace: string, claim: string): Promise<Binding | undefined> {
  const pvc = await kube.core
    .readNamespacedPersistentVolumeClaim({ namespace, name: claim })
    .catch((e: unknown) => ((e as { code?: number }).code === 404 ? undefined : Promise.reject(e)));
  if (!pvc) return undefined;
  const volume = pvc.spec?.volumeName ?? "";
  if (!volume) return { volume, volumeHandle: "" };
  const pv = await withRetry(() => kube.core.readPersistentVolume({ name: volume }));
  return { volume, volumeHandle: volumeHandle(pv) };
}

/** The name answers of a member's DNS name, asked from the writer pod (busybox nslookup). */
export async function dnsAnswer(kube: Kube, namespace: string, writer: string, pod: string): Promise<string[]> {
  const out = await shInPod(
    kube,
    namespace,
    writer,
    `base=$(awk '/^search/ {print $2; exit}' /etc/resolv.conf); nslookup ${pod}.${membersService}.$base 2>&1 || true`,
    clientContainer,
  );
  return parseNslookup(out);
}

/** The writer DaemonSet's one pod, Running. */
export async function writerPodName(kube: Kube, namespace: string): Promise<string> {
  const pods = await waitFor(kube, {
    watch: watchOf.pods(kube, namespace, `app.kubernetes.io/name=${writerName}`),
    what: "the writer pod Running",
    timeoutMs: Timeouts.podStartMs,
    until: (c) => [...c.values()].some((p) => p.status?.phase === "Running" && !p.metadata?.deletionTimestamp),
  });
  const running = [...pods.values()].find((p) => p.status?.phase === "Running");
  return running?.metadata?.name ?? "";
}

/** Reads what the baseline records of one member, as it is now. */
async function member(
  kube: Kube,
  namespace: string,
  pod: k8s.V1Pod,
  writer: string,
  checksum: string,
): Promise<MemberBaseline> {
  const name = pod.metadata?.name ?? "";
  const set = name.replace(/-\d+$/, "");
  const claim = claimName(set, Number(name.slice(set.length + 1)));
  const bound = await claimBinding(kube, namespace, claim);
  return {
    pod: name,
    uid: pod.metadata?.uid ?? "",
    node: pod.spec?.nodeName ?? "",
    ip: pod.status?.podIP ?? "",
    claim,
    volume: bound?.volume ?? "",
    volumeHandle: bound?.volumeHandle ?? "",
    checksum,
    dns: await dnsAnswer(kube, namespace, writer, name),
  };
}

/** The members' pods of a set, once each is Ready. */
const readyMembers = (kube: Kube, namespace: string, set: string) =>
  waitForReadyPods(
    kube,
    namespace,
    `app.kubernetes.io/name=${set}`,
    Array.from({ length: replicas }, (_, i) => podName(set, i)),
  );

/** The two sets behind one headless Service, each with its budget, Ready. */
async function createSets(kube: Kube, namespace: string, o: { image: string; storageClass?: string }): Promise<void> {
  const service = headlessService({ name: membersService });
  await withRetry(() =>
    kube.core.createNamespacedService({
      namespace,
      body: { ...service, spec: { ...service.spec, selector: { [memberLabel]: "true" } } },
    }),
  );
  for (const s of upgradeSets) {
    const set = webStatefulSet({
      name: s.name,
      image: o.image,
      replicas,
      podManagementPolicy: s.podManagementPolicy,
      serviceName: membersService,
      storageClass: o.storageClass,
      onEveryNode: true,
      labels: { [memberLabel]: "true" },
    });
    await withRetry(() =>
      kube.policy.createNamespacedPodDisruptionBudget({
        namespace,
        body: podDisruptionBudget({ set: s.name, maxUnavailable }),
      }),
    );
    await createSet(kube, namespace, set);
  }
  for (const s of upgradeSets) await readyMembers(kube, namespace, s.name);
}

/** Each member's file of random bytes, written and fsynced: its checksum, by member. */
async function writePayloads(kube: Kube, namespace: string): Promise<Map<string, string>> {
  const checksums = new Map<string, string>();
  await Promise.all(
    memberNames().map(async (m) => {
      const out = await shInPod(kube, namespace, m, writePayload, webContainer);
      checksums.set(m, out.split(/\s+/)[0] ?? "");
    }),
  );
  return checksums;
}

/**
 * Where the writer goes: a node that holds no member, if there is one (a member's node fault then
 * never takes the writer with it), else the one holding fewest; by name among equals. Only nodes
 * that take pods now (Ready, not cordoned).
 */
export function writerNode(nodes: string[], memberNodes: string[]): string | undefined {
  const held = (n: string) => memberNodes.filter((m) => m === n).length;
  return [...nodes].sort((a, b) => held(a) - held(b) || a.localeCompare(b))[0];
}

/** The nodes that take pods now: Ready and not cordoned. */
const schedulable = (nodes: k8s.V1Node[]): string[] =>
  nodes.filter((n) => !n.spec?.unschedulable && isNodeReady(n)).map((n) => n.metadata?.name ?? "");

/** The writer's DaemonSet of one pod on `node`; its pod's name once it acknowledges on every member. */
async function startWriter(kube: Kube, namespace: string, image: string, node: string): Promise<string> {
  await withRetry(() =>
    kube.apps.createNamespacedDaemonSet({
      namespace,
      body: writerDaemonSet({
        name: writerName,
        node,
        image,
        service: membersService,
        members: memberNames(),
        pauseMs: writerPauseMs,
      }),
    }),
  );
  const writerPod = await writerPodName(kube, namespace);
  const writer = await Writer.follow(kube, namespace, writerPod, clientContainer);
  try {
    await writer.acknowledgedMore(memberNames(), 3);
  } finally {
    writer.stop();
  }
  return writerPod;
}

/** A set's baseline: its revisions and each member as it is now. */
async function setBaseline(
  kube: Kube,
  namespace: string,
  s: (typeof upgradeSets)[number],
  writerPod: string,
  checksums: Map<string, string>,
): Promise<SetBaseline> {
  const live = await waitForSet(kube, namespace, s.name, "status observed", () => true);
  const pods = await readyMembers(kube, namespace, s.name);
  return {
    name: s.name,
    podManagementPolicy: s.podManagementPolicy,
    replicas,
    maxUnavailable,
    currentRevision: live.status?.currentRevision ?? "",
    updateRevision: live.status?.updateRevision ?? "",
    members: await Promise.all(
      [...pods.values()]
        .sort((a, b) => (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""))
        .map((p) => member(kube, namespace, p, writerPod, checksums.get(p.metadata?.name ?? "") ?? "")),
    ),
  };
}

/**
 * Creates the workload in `namespace` and returns its baseline (not yet stored). Each member's
 * file is written and fsynced before its checksum is taken; the writer is acknowledging on every
 * member before the baseline is read.
 */
export async function prepareWorkload(
  kube: Kube,
  namespace: string,
  o: { image: string; storageClass?: string; log: (line: string) => void },
): Promise<Baseline> {
  await createSets(kube, namespace, o);
  o.log(
    `  two sets of ${replicas} (OrderedReady, Parallel) with claims, one member per node, a budget of ${maxUnavailable} each`,
  );
  const checksums = await writePayloads(kube, namespace);
  o.log(`  a file of random bytes on each of ${checksums.size} members, fsynced, its checksum kept`);
  const placed = await Promise.all(upgradeSets.map((s) => readyMembers(kube, namespace, s.name)));
  const memberNodes = placed.flatMap((pods) => [...pods.values()].map((p) => p.spec?.nodeName ?? ""));
  const clusterNodes = (await withRetry(() => kube.core.listNode())).items;
  const node = writerNode(schedulable(clusterNodes), memberNodes);
  if (!node)
    throw new HarnessError("no node takes pods (every one NotReady or cordoned): the writer has nowhere to run");
  const writerPod = await startWriter(kube, namespace, o.image, node);
  const alone = memberNodes.includes(node) ? "beside a member: no node is free of them" : "no member there";
  o.log(`  the writer (${writerPod}, one pod on ${node}: ${alone}) acknowledging on every member`);
  const sets: SetBaseline[] = [];
  for (const s of upgradeSets) sets.push(await setBaseline(kube, namespace, s, writerPod, checksums));
  o.log(
    `  members per node: ${Object.entries(perNode(memberNodes))
      .map(([n, k]) => `${n} ${k}`)
      .join(", ")}`,
  );
  const [system, version] = await Promise.all([
    withRetry(() => kube.core.readNamespace({ name: "kube-system" })),
    withRetry(() => kube.version.getCode()),
  ]);
  return {
    schema: 1,
    namespace,
    clusterUid: system.metadata?.uid ?? "",
    serverVersion: version.gitVersion,
    preparedAt: new Date().toISOString(),
    nodes: versionsOf(clusterNodes),
    writerNode: node,
    writer: writerPod,
    sets,
  };
}

/** How many members each node holds. */
const perNode = (memberNodes: string[]): Record<string, number> =>
  memberNodes.reduce<Record<string, number>>((m, n) => ({ ...m, [n]: (m[n] ?? 0) + 1 }), {});

/** Each node and its kubelet's version. */
const versionsOf = (nodes: k8s.V1Node[]): NodeVersions =>
  Object.fromEntries(nodes.map((n) => [n.metadata?.name ?? "", n.status?.nodeInfo?.kubeletVersion ?? ""] as const));

/** Every node of the cluster and its kubelet's version. */
export const nodeVersions = async (kube: Kube): Promise<NodeVersions> =>
  versionsOf((await withRetry(() => kube.core.listNode())).items);

/** Whether a writer's log still holds each member's first record: then it alone is the whole story. */
export function logIsWhole(lines: string[]): boolean {
  const first = new Map<string, number>();
  for (const line of lines) {
    const m = / (?:ack|fail) (\S+) (\d+)$/.exec(line.trim());
    if (m?.[1] && !first.has(m[1])) first.set(m[1], Number(m[2]));
  }
  return first.size > 0 && [...first.values()].every((seq) => seq === 1);
}

/**
 * Stops the writer's loops (each finishes the write under way: at most a request's 2 s) and reads
 * its log to the end. A log that still starts at every member's first record is the ledger alone;
 * one the kubelet rotated (a long upgrade) is folded onto what a watch folded as it went (`watched`;
 * lines it had count once). Also says how often the container restarted: a restarted writer
 * numbers its records from 1 again. Its lines too (the latencies are read from them).
 */
export async function stopWriter(
  kube: Kube,
  namespace: string,
  pod: string,
  watched: Ledger = new Map(),
): Promise<{ ledger: Ledger; restarts: number; from: string; lines: string[] }> {
  await shInPod(
    kube,
    namespace,
    pod,
    `touch ${writerStopFile}; i=0; while [ ! -e ${writerStoppedFile} ] && [ $i -lt 100 ]; do usleep 100000; i=$((i+1)); done; test -e ${writerStoppedFile}`,
    clientContainer,
  );
  const [log, p] = await Promise.all([
    withRetry(() =>
      kube.core.readNamespacedPodLog({ namespace, name: pod, container: clientContainer, timestamps: true }),
    ),
    withRetry(() => kube.core.readNamespacedPod({ namespace, name: pod })),
  ]);
  const lines = log.split("\n");
  const whole = logIsWhole(lines);
  const ledger: Ledger = whole ? new Map() : watched;
  for (const line of lines) foldWriterLine(ledger, line);
  const restarts = p.status?.containerStatuses?.[0]?.restartCount ?? 0;
  return {
    ledger,
    restarts,
    from: whole ? "the writer's whole log" : "the watch's ledger, then the writer's log since (rotated)",
    lines,
  };
}
