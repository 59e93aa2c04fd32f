// What a command of the CLI is: its words, its flags, the settings it reads, two examples and what
// it runs. The table of them (commands/index.ts) is the one place a command is written: parsing,
// --help (whole and per command) and dispatch derive from it.
import type { Settings } from "../config/settings.js";
import type { ChaosFlags } from "../chaos/options.js";
import type { FlagName } from "./flags.js";

/** The options of one invocation, parsed and checked (options.ts). */
export interface RunOptions {
  /** The command's words ("run", "cluster up"); "help" and "version" are the CLI's own. */
  command: string;
  /** `help <command>` and `<command> --help`: the command whose help to print. */
  helpOf?: string;
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
  /** `cluster up/down --shape`: the default kind cluster, or the production-shaped one. */
  shape: "default" | "prod";
  /** The upgrade gate's namespace (`upgrade * --namespace`), checked as a namespace name. */
  namespace?: string;
  /** `image --push`: the registry to push the images to. */
  push?: string;
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

export interface Command {
  /** As a user types it: "run", "cluster up". */
  words: string;
  /** What it does, for the command list of --help (which wraps it). */
  summary: string;
  /** The flags it takes; another command's flag is refused, not silently ignored. */
  flags: FlagName[];
  /** The settings it reads (besides STS_REPORTS_DIR and the other paths every command checks), for its --help. */
  settings: (keyof Settings)[];
  /** Two invocations a user would type. */
  examples: [string, string];
  /** Runs it; resolves to the process's exit code. */
  run(o: RunOptions): Promise<number>;
}

/** The CLI's progress and diagnostics, on stderr (stdout carries what a command prints for scripts). */
export const log = (line: string): void => void process.stderr.write(`[sts] ${line}\n`);
