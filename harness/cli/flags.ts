// Every flag of the CLI, in one table: its type, its argument's name and what it means. parseArgs'
// options and every --help derive from it; which command takes which is the command table's.
import { faultKinds } from "../chaos/catalogue.js";

interface Flag {
  type: "string" | "boolean";
  /** The argument's name in --help (string flags). */
  arg?: string;
  short?: string;
  default?: string;
  help: string;
}

export const flags = {
  kubeconfig: { type: "string", arg: "F", help: "test the cluster of this kubeconfig instead of kind" },
  context: { type: "string", arg: "C", help: "kubeconfig context (default: the current one)" },
  "storage-class": {
    type: "string",
    arg: "S",
    help: "StorageClass for the sets' volumes (default: the cluster's default)",
  },
  profile: {
    type: "string",
    arg: "F",
    help: "a storage profile (YAML; schema: harness/storage/profile.schema.json; examples: fixtures/storage-profiles/): the class and what it promises, parsed strictly; the run ends with its claims against what it verified (a run: besides every guarantee)",
  },
  focus: {
    type: "string",
    arg: "RE",
    help: "run only tests whose full name matches RE; a guarantee id (G16, or G15,G16) runs the tests that check it",
  },
  skip: { type: "string", arg: "RE", help: "skip tests whose full name matches RE" },
  list: { type: "boolean", help: "print the tests that would run, touching no cluster (--json: as JSON)" },
  html: { type: "boolean", help: "write the HTML report at the end (as 'sts-conformance report' does)" },
  "rerun-failed": {
    type: "boolean",
    help: "run only the tests that were BROKEN or inconclusive in the last run (reports/summary.json)",
  },
  "skip-preflight": {
    type: "boolean",
    help: "skip the preflight's rights check and canary (claim, pod, DNS lookup)",
  },
  "keep-cluster": { type: "boolean", help: "keep a kind cluster this run created (default: delete it at the end)" },
  "node-image": { type: "string", arg: "I", default: "auto", help: "auto (default) | kind-default | an image name" },
  "kubernetes-version": {
    type: "string",
    arg: "V",
    help: "the kind cluster at Kubernetes V (vX.Y.Z), built here",
  },
  to: {
    type: "string",
    arg: "V",
    help: "the Kubernetes to upgrade to, vX.Y.Z (default: the pinned one), built here",
  },
  from: {
    type: "string",
    arg: "V",
    help: "the Kubernetes of the kind cluster the rehearsal creates (default: the previous minor pinned in harness/images/versions.env)",
  },
  shape: {
    type: "string",
    arg: "S",
    default: "default",
    help: "default (one control plane, a node reserved for faults) | prod (three control planes, a registry, Kubernetes' own timings)",
  },
  push: {
    type: "string",
    arg: "REGISTRY",
    help: "push the images to REGISTRY (HOST[:PORT][/PATH], with your Docker credentials) instead of loading them into kind",
  },
  namespace: {
    type: "string",
    arg: "NS",
    help: "the upgrade gate's namespace (default sts-upgrade, or STS_UPGRADE_NAMESPACE); each gate on a cluster its own",
  },
  duration: { type: "string", arg: "D", help: "how long: 90s, 30m (default), 2h" },
  seed: {
    type: "string",
    arg: "N",
    help: "the schedule's seed (default: from the clock, printed); the same seed, the same schedule",
  },
  faults: { type: "string", arg: "LIST", help: `comma-separated, default all: ${faultKinds.join(", ")}` },
  budget: { type: "string", arg: "FILE", help: "JSON of fault kind -> recovery budget in seconds, over the defaults" },
  "dry-run": { type: "boolean", help: "print the schedule and its targets; touch nothing (--json: as JSON)" },
  json: { type: "boolean", help: "with --list or --dry-run: as JSON on stdout" },
  help: { type: "boolean", short: "h", help: "this help; after a command, that command's" },
  version: { type: "boolean", short: "V", help: "the suite's version and commit" },
} satisfies Record<string, Flag>;

export type FlagName = keyof typeof flags;

/** A flag as --help shows it: `--name ARG`. */
export const flagLabel = (name: FlagName): string => {
  const f: Flag = flags[name];
  return `--${name}${f.arg ? ` ${f.arg}` : ""}`;
};

/** The flags of every command that runs the suite on a cluster it may make: the target and the kind cluster. */
export const onCluster: FlagName[] = [
  "kubeconfig",
  "context",
  "storage-class",
  "skip-preflight",
  "keep-cluster",
  "node-image",
  "kubernetes-version",
  "html",
];
