// The CLI's words and flags parsed and checked before anything is touched (bad input: one line,
// exit 2), and its --help, whole and per command: all derived from the command table and the flag table.
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { kubernetesVersion, namespaceName, readableFile, registryAddress } from "../config/parsers.js";
import { setting, settingsHelp } from "../config/settings.js";
import { HarnessError } from "../errors/harness-error.js";
import type { Command, RunOptions } from "./command.js";
import { commandOf, commands } from "./commands/index.js";
import { flagLabel, flags, type FlagName } from "./flags.js";

/** `text` in lines of at most `width` characters, broken between words. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(/\s+/)) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** A two-column list: the label padded to `width`, the text wrapped beside it (a "\n" in it starts a new line). */
function columns(rows: [string, string][], width: number): string {
  const textWidth = 104 - width;
  return rows
    .map(([label, text]) =>
      text
        .split("\n")
        .flatMap((part) => wrap(part, textWidth))
        .map((line, i) => `  ${(i === 0 ? label : "").padEnd(width)} ${line}`)
        .join("\n"),
    )
    .join("\n");
}

const exitCodes = `exit codes: 0 every guarantee held, 1 a guarantee broke (or a negative control missed), 2 bad input or
environment, 3 nothing broke but a check was inconclusive, 4 the suite failed in a way it does not know
(a bug in it), 130 interrupted`;

const flagRows = (names: FlagName[]): [string, string][] => names.map((n) => [flagLabel(n), flags[n].help]);

/** The whole --help: every command, every flag (with the commands that take it), every setting. */
export function usage(): string {
  const flagNames = (Object.keys(flags) as FlagName[]).filter((f) => f !== "help" && f !== "version");
  const takers = (f: FlagName) =>
    commands
      .filter((c) => c.flags.includes(f))
      .map((c) => c.words)
      .join(", ");
  return `usage: sts-conformance <command> [options]
       sts-conformance <command> --help     that command's flags, the settings it reads, examples

commands:
${columns(
  commands.map((c) => [c.words, c.summary]),
  16,
)}

options (each command takes those listed for it in its --help):
${columns(
  flagNames.map((f) => [flagLabel(f), `${flags[f].help}\n(${takers(f)})`]),
  24,
)}

environment (each also settable for npm test):
${settingsHelp()}

${exitCodes}`;
}

/** The commands whose words start with this one ("upgrade": upgrade prepare, watch, check, …). */
export const groupOf = (word: string): Command[] => commands.filter((c) => word && c.words.startsWith(`${word} `));

/** A group's --help ("upgrade --help"): its commands, each with what it does. */
export function groupHelp(word: string): string {
  const group = groupOf(word);
  return [
    `usage: sts-conformance ${word} <${group.map((c) => c.words.slice(word.length + 1)).join("|")}> [options]`,
    "",
    columns(
      group.map((c) => [c.words, c.summary]),
      16,
    ),
    "",
    `each one's flags, settings and examples: sts-conformance ${word} <command> --help`,
  ].join("\n");
}

/** One command's --help: its words, what it does, its flags, the settings it reads, two examples. */
export function commandHelp(c: Command): string {
  return [
    `usage: sts-conformance ${c.words}${c.flags.length ? " [options]" : ""}`,
    "",
    wrap(c.summary, 104).join("\n"),
    ...(c.flags.length ? ["", "options:", columns(flagRows(c.flags), 24)] : []),
    ...(c.settings.length ? ["", "settings it reads:", settingsHelp(c.settings)] : []),
    "",
    "examples:",
    ...c.examples.map((e) => `  ${e}`),
    "",
    exitCodes,
  ].join("\n");
}

/** parseArgs' options, typed by the flag table (a value is string or boolean by its flag's type). */
const parseConfig = Object.fromEntries(
  Object.entries(flags).map(([name, f]) => [
    name,
    {
      type: f.type,
      ...("short" in f ? { short: f.short } : {}),
      ...(f.type === "boolean" ? { default: false } : "default" in f ? { default: f.default } : {}),
    },
  ]),
) as { [K in FlagName]: { type: (typeof flags)[K]["type"] } } satisfies ParseArgsOptionsConfig;

type Values = ReturnType<
  typeof parseArgs<{ options: typeof parseConfig; allowPositionals: true; tokens: true }>
>["values"];

/**
 * The command the words name: help ("", "help", "help <command>", "<command> --help"), version
 * ("version", --version), or one of the table's, whose flags alone it takes.
 */
function commandOfWords(words: string, values: Values, given: string[]): { command: string; helpOf?: string } {
  const helpOf = words.startsWith("help ") ? words.slice(5) : values.help && words !== "help" ? words : "";
  const command =
    helpOf || values.help ? "help" : values.version ? "version" : words === "" || words === "help" ? "help" : words;
  const c = commandOf(command === "help" ? helpOf || "help" : command);
  const known = c !== undefined || (command === "help" && groupOf(helpOf).length > 0);
  if (!known && (command !== "help" || helpOf))
    throw new HarnessError(`unknown command "${helpOf || words}"; see --help`);
  if (c && command !== "help" && command !== "version") {
    const foreign = given.filter((f) => !(c.flags as string[]).includes(f));
    if (foreign.length > 0)
      throw new HarnessError(
        `${foreign.map((f) => `--${f}`).join(", ")} ${foreign.length > 1 ? "do" : "does"} not belong to '${c.words}'; see --help`,
      );
  }
  return { command, ...(helpOf ? { helpOf } : {}) };
}

/** The flags checked together: what goes with what, patterns that compile, files that exist, versions the build makes. */
function checkFlags(values: Values): void {
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
  kubernetesVersion(values.to ?? "", "--to");
  kubernetesVersion(values.from ?? "", "--from");
  registryAddress(values.push ?? "", "--push");
  if (values.namespace !== undefined) namespaceName(values.namespace, "--namespace");
  if (!["default", "prod"].includes(values.shape ?? "default"))
    throw new HarnessError(`--shape must be default or prod, not "${values.shape}"`);
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
}

/** Parses argv (without node and script); throws HarnessError on bad input. */
export function parseOptions(argv: string[]): RunOptions {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: parseConfig, tokens: true });
  } catch (e) {
    throw new HarnessError(`${(e as Error).message}; see --help`);
  }
  const { values, positionals, tokens } = parsed;
  // a Sonobuoy plugin or a Job chooses its tests through its environment
  values.focus ??= setting("focus") || undefined;
  values.skip ??= setting("skip") || undefined;
  const given = [...new Set(tokens.flatMap((t) => (t.kind === "option" ? [t.name] : [])))];
  const named = commandOfWords(positionals.join(" "), values, given);
  checkFlags(values);
  return {
    ...named,
    kubeconfig: values.kubeconfig,
    context: values.context,
    storageClass: values["storage-class"],
    ...(values.profile === undefined ? {} : { profile: values.profile }),
    focus: values.focus,
    skip: values.skip,
    list: values.list === true,
    keepCluster: values["keep-cluster"] === true,
    skipPreflight: values["skip-preflight"] === true,
    nodeImage: values["node-image"] ?? "auto",
    kubernetesVersion: values["kubernetes-version"] ?? setting("kubernetesVersion"),
    to: values.to ?? "",
    from: values.from ?? "",
    shape: values.shape === "prod" ? "prod" : "default",
    ...(values.push === undefined ? {} : { push: values.push }),
    ...(values.namespace === undefined ? {} : { namespace: values.namespace }),
    chaos: { duration: values.duration, seed: values.seed, faults: values.faults, budget: values.budget },
    dryRun: values["dry-run"] === true,
    html: values.html === true,
    json: values.json === true,
    rerunFailed: values["rerun-failed"] === true,
  };
}
