import { parseArgs } from "node:util";
import { kubernetesVersion, readableFile, setting, settingsHelp } from "../config/settings.js";
import { faultKinds } from "../chaos/faults.js";
import type { ChaosFlags } from "../chaos/options.js";
import { HarnessError } from "../errors/harness-error.js";

export interface RunOptions {
  command:
    | "run"
    | "storage"
    | "chaos"
    | "cluster-up"
    | "cluster-down"
    | "cluster-upgrade"
    | "upgrade-prepare"
    | "upgrade-watch"
    | "upgrade-check"
    | "upgrade-clean"
    | "upgrade-rehearse"
    | "report"
    | "image"
    | "version"
    | "help";
  kubeconfig?: string;
  context?: string;
  storageClass?: string;
  /** `storage --profile`: the profile file (parsed by the command, before any cluster is touched). */
  profile?: string;
  focus?: string;
  skip?: string;
  list: boolean;
  keepCluster: boolean;
  skipPreflight: boolean;
  nodeImage: string;
  /** The Kubernetes of the kind cluster ("" = the pinned one). */
  kubernetesVersion: string;
  /** `cluster upgrade --to`, `upgrade rehearse --to`: the Kubernetes to upgrade to ("" = the pinned one). */
  to: string;
  /** `upgrade rehearse --from`: the Kubernetes of the kind cluster it upgrades ("" = the pinned previous minor). */
  from: string;
  /** The chaos command's flags, checked by parseChaosFlags. */
  chaos: ChaosFlags;
  dryRun: boolean;
  /** Write the HTML report (reports/html/) at the run's end. */
  html: boolean;
  /** `--list` and `chaos --dry-run` as JSON on stdout. */
  json: boolean;
  /** Run only the tests that were BROKEN or inconclusive in the last run. */
  rerunFailed: boolean;
}

type Command = RunOptions["command"];

/** The flags of every command that runs on a cluster it may make: the target and the kind cluster. */
const onCluster = [
  "kubeconfig",
  "context",
  "storage-class",
  "skip-preflight",
  "keep-cluster",
  "node-image",
  "kubernetes-version",
  "html",
];

/** The flags each command takes; another command's flag is refused, not silently ignored. */
const flagsOf: Record<Command, string[]> = {
  run: [...onCluster, "focus", "skip", "list", "json", "profile", "rerun-failed"],
  storage: [...onCluster, "focus", "skip", "list", "json", "profile", "rerun-failed"],
  chaos: [...onCluster, "duration", "seed", "faults", "budget", "dry-run", "json"],
  "cluster-up": ["node-image", "kubernetes-version"],
  "cluster-down": [],
  "cluster-upgrade": ["to"],
  "upgrade-prepare": ["kubeconfig", "context", "storage-class", "skip-preflight", "node-image", "kubernetes-version"],
  "upgrade-watch": ["kubeconfig", "context"],
  "upgrade-check": [
    "kubeconfig",
    "context",
    "storage-class",
    "skip-preflight",
    "focus",
    "skip",
    "list",
    "json",
    "html",
  ],
  "upgrade-clean": ["kubeconfig", "context"],
  "upgrade-rehearse": [
    "from",
    "to",
    "storage-class",
    "skip-preflight",
    "keep-cluster",
    "focus",
    "skip",
    "list",
    "json",
    "html",
  ],
  report: [],
  image: [],
  version: [],
  help: [],
};

/** The command's words, as a user types them. */
const wordsOf = (c: Command) => c.replace("-", " ");

export const usage = `usage: sts-conformance <command> [options]

commands:
  run              run the suite (default target: a kind cluster it creates or reuses)
  storage          what a StorageClass does for a StatefulSet: the tests that prove each capability, a
                   verdict per capability, claimed against verified (--profile F: what the class
                   promises; without one, what the cluster says, marked inferred), and latencies
  chaos            a seeded chaos run: faults one at a time while a workload writes (--dry-run: the plan)
  report           the HTML report of the last run (reports/html/index.html; Allure's in html/allure/)
  image            build the suite's container image and Sonobuoy's (no registry), and load them into
                   the kind cluster when it exists: to run inside the cluster (deploy/, README)
  cluster up       create or reuse the default kind cluster and print its kubeconfig path
  cluster down     delete the default kind cluster
  cluster upgrade  upgrade the kind cluster in place (--to V): kubeadm upgrade apply, then each node
                   cordoned, drained through the Eviction API, upgraded and uncordoned

  upgrade prepare  before a cluster upgrade: the sets that must survive it, writing throughout, and a
                   baseline (in namespace sts-upgrade and in $STS_UPGRADE_DIR)
  upgrade watch    during the upgrade: record the sets and the nodes (until Ctrl-C or 'upgrade check')
  upgrade check    after it: judge the baseline and the recording, then run the guarantees' tests on the
                   upgraded cluster (--focus/--skip narrow those), then remove the namespace
  upgrade clean    remove the upgrade's namespace and files without judging them
  upgrade rehearse on kind: a cluster at --from, prepare, watch while 'cluster upgrade --to' runs, check

options of run:
  --kubeconfig F   test the cluster of this kubeconfig instead of kind
  --context C      kubeconfig context (default: the current one)
  --storage-class S  StorageClass for the sets' volumes (default: the cluster's default)
  --focus RE       run only tests whose full name matches RE; a guarantee id (G16, or G15,G16)
                   runs the tests that check it
  --skip RE        skip tests whose full name matches RE
  --list           print the tests that would run, touching no cluster (--json: as JSON)
  --html           write the HTML report at the end (as 'sts-conformance report' does)
  --rerun-failed   run only the tests that were BROKEN or inconclusive in the last run (reports/summary.json)
  --skip-preflight skip the preflight's rights check and canary (claim, pod, DNS lookup)
  --keep-cluster   keep a kind cluster this run created (default: delete it at the end)
  --node-image I   auto (default) | kind-default | an image name
  --kubernetes-version V  the kind cluster at Kubernetes V (vX.Y.Z), built here (also for cluster up)

options of cluster upgrade and upgrade rehearse:
  --to V           the Kubernetes to upgrade to, vX.Y.Z (default: the pinned one), built here
  --from V         (rehearse) the Kubernetes of the kind cluster it creates (default: the previous minor
                   pinned in harness/images/versions.env)

options of storage and run:
  --profile F      a storage profile (YAML; schema: harness/storage/profile.schema.json; examples:
                   fixtures/storage-profiles/): the class and what it promises, parsed strictly; the
                   run ends with its claims against what it verified (a run: besides every guarantee)

options of chaos:
  --duration D     how long: 90s, 30m (default), 2h
  --seed N         the schedule's seed (default: from the clock, printed); the same seed, the same schedule
  --faults LIST    comma-separated, default all: ${faultKinds.join(", ")}
  --budget FILE    JSON of fault kind -> recovery budget in seconds, over the defaults
  --dry-run        print the schedule and its targets; touch nothing (--json: as JSON)

environment (each also settable for npm test):
${settingsHelp()}

exit codes: 0 every guarantee held, 1 a guarantee broke (or a negative control missed), 2 bad input or
environment, 3 nothing broke but a check was inconclusive, 4 the suite failed in a way it does not know
(a bug in it), 130 interrupted`;

/** Parses argv (without node and script); throws HarnessError on bad input. */
export function parseOptions(argv: string[]): RunOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        kubeconfig: { type: "string" },
        context: { type: "string" },
        "storage-class": { type: "string" },
        profile: { type: "string" },
        focus: { type: "string" },
        skip: { type: "string" },
        list: { type: "boolean", default: false },
        "keep-cluster": { type: "boolean", default: false },
        "skip-preflight": { type: "boolean", default: false },
        "node-image": { type: "string", default: "auto" },
        "kubernetes-version": { type: "string" },
        to: { type: "string" },
        from: { type: "string" },
        duration: { type: "string" },
        seed: { type: "string" },
        faults: { type: "string" },
        budget: { type: "string" },
        "dry-run": { type: "boolean", default: false },
        html: { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        "rerun-failed": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
        version: { type: "boolean", short: "V", default: false },
      },
      tokens: true,
    });
  } catch (e) {
    throw new HarnessError(`${(e as Error).message}; see --help`);
  }
  const { values, positionals, tokens } = parsed;
  // a Sonobuoy plugin or a Job chooses its tests through its environment
  values.focus ??= setting("focus") || undefined;
  values.skip ??= setting("skip") || undefined;
  const words = positionals.join(" ");
  const commands: Record<string, RunOptions["command"]> = {
    run: "run",
    storage: "storage",
    chaos: "chaos",
    "cluster up": "cluster-up",
    "cluster down": "cluster-down",
    "cluster upgrade": "cluster-upgrade",
    "upgrade prepare": "upgrade-prepare",
    "upgrade watch": "upgrade-watch",
    "upgrade check": "upgrade-check",
    "upgrade clean": "upgrade-clean",
    "upgrade rehearse": "upgrade-rehearse",
    report: "report",
    image: "image",
    "": "help",
    help: "help",
    version: "version",
  };
  const command = values.help ? "help" : values.version ? "version" : commands[words];
  if (!command) throw new HarnessError(`unknown command "${words}"; see --help`);
  if (command !== "help" && command !== "version") {
    const given = [...new Set(tokens.flatMap((t) => (t.kind === "option" ? [t.name] : [])))];
    const foreign = given.filter((f) => !flagsOf[command].includes(f));
    if (foreign.length > 0)
      throw new HarnessError(
        `${foreign.map((f) => `--${f}`).join(", ")} ${foreign.length > 1 ? "do" : "does"} not belong to '${wordsOf(command)}'; see --help`,
      );
  }
  if (values["rerun-failed"] && (values.focus !== undefined || values.skip !== undefined))
    throw new HarnessError(
      "--rerun-failed chooses the tests itself (the last run's BROKEN and inconclusive ones): leave out --focus and --skip",
    );
  if (values.json && !values.list && !values["dry-run"])
    throw new HarnessError(
      "--json goes with --list (or chaos --dry-run): the results of a run are in reports/summary.json",
    );
  for (const [flag, re] of [
    ["--focus", values.focus],
    ["--skip", values.skip],
  ] as const) {
    if (re === undefined) continue;
    try {
      new RegExp(re);
    } catch {
      throw new HarnessError(`${flag} "${re}" is not a valid regular expression`);
    }
  }
  for (const flag of ["kubeconfig", "profile", "budget"] as const) readableFile(values[flag] ?? "", `--${flag}`);
  const to = values.to ?? "";
  const from = values.from ?? "";
  kubernetesVersion(to, "--to");
  kubernetesVersion(from, "--from");
  const kubernetes = values["kubernetes-version"] ?? setting("kubernetesVersion");
  kubernetesVersion(kubernetes, "--kubernetes-version");
  // the flag or STS_KUBECONFIG, as the run reads it: either makes the target another cluster
  if (kubernetes && (values.kubeconfig ?? setting("kubeconfig")) !== undefined)
    throw new HarnessError(
      "--kubernetes-version makes the kind cluster: it cannot be combined with --kubeconfig or STS_KUBECONFIG",
    );
  if (kubernetes && values["node-image"] !== "auto")
    throw new HarnessError(
      `--kubernetes-version builds its own node image: it cannot be combined with --node-image ${values["node-image"]}`,
    );
  return {
    command,
    kubeconfig: values.kubeconfig,
    context: values.context,
    storageClass: values["storage-class"],
    ...(values.profile === undefined ? {} : { profile: values.profile }),
    focus: values.focus,
    skip: values.skip,
    list: values.list,
    keepCluster: values["keep-cluster"],
    skipPreflight: values["skip-preflight"],
    nodeImage: values["node-image"],
    kubernetesVersion: kubernetes,
    to,
    from,
    chaos: { duration: values.duration, seed: values.seed, faults: values.faults, budget: values.budget },
    dryRun: values["dry-run"],
    html: values.html,
    json: values.json,
    rerunFailed: values["rerun-failed"],
  };
}
