// Every STS_* environment variable the suite reads, in one table: validated (parsers.ts), documented
// (--help and the docs list them from here), read with setting(); junk is one line, exit 2.
import { homedir } from "node:os";
import { join } from "node:path";
import { defaultBudgets, loadBudgets } from "../chaos/budgets.js";
import { faultKinds } from "../chaos/catalogue.js";
import { parseDuration, parseFaults, parseSeed } from "../chaos/options.js";
import {
  oneOf,
  chaosValue,
  clusterName,
  flag,
  kubernetesVersion,
  milliseconds,
  namespaceName,
  readableFile,
  seconds,
  size,
  text,
  writableDir,
  writableFile,
  type Parse,
} from "./parsers.js";

/**
 * Every STS_* environment variable the suite reads, validated and documented in this one table:
 * `--help` and the docs list them from here. Junk is a one-line error (exit 2), never a silent
 * default.
 */
interface Setting<T> {
  env: string;
  doc: string;
  /** Set by the CLI for the test runner it starts: not for users, not in --help. */
  internal?: true;
  parse: Parse<T>;
  fallback: T;
}

/** A setting the CLI hands its test runner (plain text, not for users, not in --help). */
const internal = (env: string, doc: string) => ({ env, doc, parse: text, fallback: "", internal: true as const });

const table = {
  kubeconfig: {
    env: "STS_KUBECONFIG",
    doc: "test the cluster of this kubeconfig instead of kind ('' = $KUBECONFIG or ~/.kube/config)",
    parse: readableFile as Parse<string | undefined>,
    fallback: undefined,
  },
  context: { env: "STS_CONTEXT", doc: "kubeconfig context (default: the current one)", parse: text, fallback: "" },
  storageClass: {
    env: "STS_STORAGE_CLASS",
    doc: "StorageClass of the sets' volumes (default: the cluster's default class)",
    parse: text,
    fallback: "",
  },
  storageProfile: {
    env: "STS_STORAGE_PROFILE",
    doc: "a storage profile (YAML, fixtures/storage-profiles/*.yaml): what the class promises, verified by the storage command",
    parse: readableFile,
    fallback: "",
  },
  claimSize: {
    env: "STS_CLAIM_SIZE",
    doc: "size of each claim the suite makes (default 16Mi; a storage profile's claimSize)",
    parse: size,
    fallback: "16Mi",
  },
  storageExpectations: internal(
    "STS_STORAGE_EXPECTATIONS",
    "what a storage run expects of its class, claimed or inferred (JSON, from the global setup)",
  ),
  target: internal(
    "STS_TARGET",
    "the cluster under test as the preflight found it (JSON: server, version, nodes, StorageClass), for the reports",
  ),
  storageClassInUse: internal(
    "STS_STORAGE_CLASS_IN_USE",
    "the StorageClass the sets use: the one asked for, or the cluster's default, as preflight found it",
  ),
  clusterName: {
    env: "STS_CLUSTER_NAME",
    doc: "name of the kind cluster the suite creates or reuses",
    parse: clusterName,
    fallback: "sts-conformance",
  },
  kubernetesVersion: {
    env: "STS_KUBERNETES_VERSION",
    doc: "Kubernetes of the kind cluster, built here if needed (default: the pinned one in harness/images/versions.env)",
    parse: kubernetesVersion,
    fallback: "",
  },
  keepCluster: {
    env: "STS_KEEP_CLUSTER",
    doc: "1: keep a kind cluster this run created (same as --keep-cluster)",
    parse: flag,
    fallback: false,
  },
  allowDisruptive: {
    env: "STS_ALLOW_DISRUPTIVE",
    doc: "1: allow node faults (drain) on a cluster that is not the suite's own kind cluster",
    parse: flag,
    fallback: false,
  },
  nodeFaultsVia: {
    env: "STS_NODE_FAULTS",
    doc: "how kubelet-stop and partition reach a kind node: 'docker' (its container) or 'pod' (a privileged pod, as on any other cluster)",
    parse: oneOf("docker", "pod"),
    fallback: "docker" as "docker" | "pod",
  },
  podFaultHoldS: {
    env: "STS_POD_FAULT_HOLD_S",
    doc: "seconds a node fault made by a privileged pod lasts before the pod undoes it (nothing reaches the node meanwhile): enough for the node to be called NotReady, its pods evicted, and a window after (10 to 600; default 60 on the suite's kind cluster, whose nodes are called unreachable after 20 s, 120 elsewhere, for Kubernetes' default 50 s)",
    parse: seconds(10, 600) as Parse<number | undefined>,
    fallback: undefined,
  },
  skipPreflight: {
    env: "STS_SKIP_PREFLIGHT",
    doc: "1: skip the preflight's rights check and canary (claim, pod, DNS lookup); reachability is still checked",
    parse: flag,
    fallback: false,
  },
  canaryS: {
    env: "STS_CANARY_S",
    doc: "seconds the preflight canary may take: provision a claim, run a pod (5 to 600; raise for slow storage)",
    parse: seconds(5, 600),
    fallback: 60,
  },
  dnsPropagationS: {
    env: "STS_DNS_PROPAGATION_S",
    doc: "seconds a DNS answer has to follow a pod change; still wrong after them is BROKEN (5 to 600; raise for a slow cluster)",
    parse: seconds(5, 600),
    fallback: 30,
  },
  quietWindowS: {
    env: "STS_QUIET_WINDOW_S",
    doc: 'seconds of every "nothing must happen" window (1 to 600)',
    parse: seconds(1, 600),
    fallback: 5,
  },
  chaosDuration: {
    env: "STS_CHAOS_DURATION",
    doc: "chaos run length, like 90s, 30m, 2h (--duration); a run always takes every kind once, so the default is one round",
    parse: chaosValue(parseDuration),
    fallback: 60_000,
  },
  chaosSeed: { env: "STS_CHAOS_SEED", doc: "chaos schedule seed (--seed)", parse: chaosValue(parseSeed), fallback: 42 },
  chaosFaults: {
    env: "STS_CHAOS_FAULTS",
    doc: "chaos fault kinds, comma-separated (--faults); default: every kind built",
    parse: chaosValue((raw) => (raw === "" ? [...faultKinds] : parseFaults(raw))),
    fallback: [...faultKinds],
  },
  chaosBudget: {
    env: "STS_CHAOS_BUDGET",
    doc: "chaos recovery budget file (--budget)",
    parse: chaosValue((raw) => loadBudgets(raw || undefined)),
    fallback: defaultBudgets,
  },
  chaosHoldS: {
    env: "STS_CHAOS_HOLD_S",
    doc: "seconds a node fault is held, after its members were evicted, before its undo (1 to 600)",
    parse: seconds(1, 600),
    fallback: 20,
  },
  chaosSettleS: {
    env: "STS_CHAOS_SETTLE_S",
    doc: "seconds a recovered set must stay whole (every member Ready) before its recovery counts (1 to 600)",
    parse: seconds(1, 600),
    fallback: 10,
  },
  chaosHistory: {
    env: "STS_CHAOS_HISTORY",
    doc: "file each chaos run appends its results to, one JSON line per fault (night-over-night trends)",
    parse: writableFile,
    fallback: "",
  },
  focus: {
    env: "STS_FOCUS",
    doc: "--focus when the flag is not given (a Sonobuoy plugin's or a Job's environment)",
    parse: text,
    fallback: "",
  },
  skip: { env: "STS_SKIP", doc: "--skip when the flag is not given", parse: text, fallback: "" },
  resultsConfigMap: {
    env: "STS_RESULTS_CONFIGMAP",
    doc: "inside a pod: after the run, its reports as results.tar.gz in this ConfigMap of the pod's namespace (the Job in deploy/job)",
    parse: text,
    fallback: "",
  },
  fixtureImage: {
    env: "STS_FIXTURE_IMAGE",
    doc: "image of the fixtures off kind (any busybox >= 1.30; on kind the locally built one)",
    parse: text,
    fallback: "",
  },
  cacheDir: {
    env: "STS_CACHE_DIR",
    doc: "image build cache, outside the repository",
    parse: writableDir,
    fallback: "/var/cache/sts-conformance",
  },
  goBinariesFrom: {
    env: "STS_GO_BINARIES_FROM",
    doc: "another image build cache: its compiled Go programs are reused at the same key, and ones compiled are left there (CI)",
    parse: writableDir,
    fallback: "",
  },
  stateDir: {
    env: "STS_STATE_DIR",
    doc: "kubeconfigs of the kind clusters the suite creates",
    parse: writableDir,
    fallback: join(homedir(), ".cache", "sts-conformance"),
  },
  reportsDir: { env: "STS_REPORTS_DIR", doc: "where reports are written", parse: writableDir, fallback: "" },
  upgradeDir: {
    env: "STS_UPGRADE_DIR",
    doc: "where 'upgrade prepare', 'watch' and 'check' keep the baseline and the recording (default: reports/upgrade)",
    parse: writableDir,
    fallback: "",
  },
  upgradeNamespace: {
    env: "STS_UPGRADE_NAMESPACE",
    doc: "the upgrade gate's namespace (--namespace): its workload, and its baseline and recording (kept under STS_UPGRADE_DIR/<namespace>); several gates can share a cluster",
    parse: namespaceName,
    fallback: "sts-upgrade",
  },
  upgradeLatencyP95Ms: {
    env: "STS_UPGRADE_LATENCY_P95_MS",
    doc: "the workload's acknowledged-write latency budget: p95 before, during and after the upgrade at most this (1 to 60000 ms); unset, the latencies are reported and not judged",
    parse: milliseconds(1, 60_000),
    fallback: 0,
  },
  upgradeUnavailableS: {
    env: "STS_UPGRADE_UNAVAILABLE_S",
    doc: "seconds a member may be unavailable at a time during an upgrade (its node drained, upgraded, uncordoned); longer is BROKEN (10 to 7200)",
    parse: seconds(10, 7200),
    fallback: 300,
  },
  kindBin: {
    env: "STS_KIND_BIN",
    doc: "kind CLI to use (default: the pinned build)",
    parse: readableFile,
    fallback: "",
  },
  profile: {
    env: "STS_PROFILE",
    doc: "the command's profile (what it runs of the specs); 'storage' (the storage command) adds a verdict per storage capability",
    parse: oneOf("guarantees", "storage", "chaos", "upgrade", ""),
    fallback: "" as "" | "guarantees" | "storage" | "chaos" | "upgrade",
    internal: true,
  },
  narrowedBy: internal(
    "STS_NARROWED_BY",
    "what narrowed the command's tests (--focus, --skip, --rerun-failed): a proof partly left out is not held",
  ),
  rerunOf: internal(
    "STS_RERUN_OF",
    "--rerun-failed: the previous run's id and its verdicts of the tests run again (JSON); a BROKEN one stays BROKEN",
  ),
  runId: { env: "STS_RUN_ID", doc: "this run's id, on every namespace", parse: text, fallback: "", internal: true },
  progressTotal: internal(
    "STS_PROGRESS_TOTAL",
    "the tests a CLI run chose: its progress lines count to it (set: the CLI's own progress lines, not Jest's)",
  ),
  kindCluster: internal("STS_KIND_CLUSTER", "the kind cluster under test, when it is the suite's own"),
  privilegedPods: internal(
    "STS_PRIVILEGED_PODS",
    "the preflight's answer: '' when the cluster admits the node faults' privileged pod, else its refusal",
  ),
  createdCluster: internal("STS_CREATED_CLUSTER", "the kind cluster this run created (deleted at its end)"),
} satisfies Record<string, Setting<unknown>>;

type Table = typeof table;
export type Settings = { [K in keyof Table]: Table[K]["fallback"] | ReturnType<Table[K]["parse"]> };

/** Reads and validates every setting from `env`; throws HarnessError naming the first bad one. */
export function readSettings(env: NodeJS.ProcessEnv): Settings {
  return Object.fromEntries(
    (Object.keys(table) as (keyof Settings)[]).map((key) => [key, parseSetting(env, key)]),
  ) as Settings;
}

function parseSetting<K extends keyof Settings>(env: NodeJS.ProcessEnv, key: K): Settings[K] {
  const s: Setting<unknown> = table[key];
  const raw = env[s.env];
  return (raw === undefined ? s.fallback : s.parse(raw, s.env)) as Settings[K];
}

/** One setting of this process. Entry points call readSettings(process.env) first, so junk anywhere is caught up front. */
export function setting<K extends keyof Settings>(key: K): Settings[K] {
  return parseSetting(process.env, key);
}

/** The environment variables (those of `keys`, or all), for --help and the docs. */
export function settingsHelp(keys?: (keyof Settings)[]): string {
  const rows = (keys ?? (Object.keys(table) as (keyof Settings)[]))
    .map((k): Setting<unknown> => table[k])
    .filter((s) => !s.internal)
    .map((s) => [s.env, s.doc] as const);
  const width = Math.max(...rows.map(([env]) => env.length));
  return rows.map(([env, doc]) => `  ${env.padEnd(width)}  ${doc}`).join("\n");
}

/** The environment entries that hand these settings to a child process (the test runner). */
export function settingsEnv(values: Partial<Record<keyof Settings, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [(table[key as keyof Settings] as Setting<unknown>).env, value]),
  );
}

/** The environment variable of a setting. */
export const settingsEnvName = (key: keyof Settings): string => (table[key] as Setting<unknown>).env;

/** Sets settings in this process's environment, for the workers it starts (Jest's global setup). */
export function exportSettings(values: Partial<Record<keyof Settings, string>>): void {
  Object.assign(process.env, settingsEnv(values));
}
