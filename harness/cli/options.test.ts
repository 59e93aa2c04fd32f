import { describe, expect, test } from "@jest/globals";
import { HarnessError } from "../errors/harness-error.js";
import { commands } from "./commands/index.js";
import { flags, type FlagName } from "./flags.js";
import { commandHelp, groupHelp, parseOptions, usage } from "./options.js";

/** Files the flags name must exist: the repository's own stand in. */
const kubeconfig = "package.json";
const profile = "fixtures/storage-profiles/standard.yaml";

describe("CLI options", () => {
  test("run with a kubeconfig and context", () => {
    const o = parseOptions(["run", "--kubeconfig", kubeconfig, "--context", "c", "--focus", "G13"]);
    expect(o).toMatchObject({
      command: "run",
      kubeconfig: kubeconfig,
      context: "c",
      focus: "G13",
      list: false,
      nodeImage: "auto",
    });
  });

  test("two-word commands", () => {
    expect(parseOptions(["cluster", "up"]).command).toBe("cluster up");
    expect(parseOptions(["cluster", "down"]).command).toBe("cluster down");
  });

  test("a Kubernetes version for the kind cluster", () => {
    expect(parseOptions(["cluster", "up", "--kubernetes-version", "v1.36.3"]).kubernetesVersion).toBe("v1.36.3");
    expect(parseOptions(["run"]).kubernetesVersion).toBe("");
  });

  test("the upgrade mode's commands, and the versions of an upgrade", () => {
    for (const words of ["upgrade prepare", "upgrade watch", "upgrade check", "upgrade clean", "cluster upgrade"])
      expect(parseOptions(words.split(" ")).command).toBe(words);
    expect(parseOptions(["cluster", "upgrade", "--to", "v1.37.2"])).toMatchObject({ to: "v1.37.2", from: "" });
    expect(parseOptions(["upgrade", "rehearse", "--from", "v1.36.3"])).toMatchObject({
      command: "upgrade rehearse",
      from: "v1.36.3",
      to: "",
    });
  });

  test("bad input is a HarnessError with exit code 2", () => {
    for (const argv of [
      ["launch"],
      ["run", "--nope"],
      ["run", "--focus", "("],
      ["cluster", "up", "--kubernetes-version", "1.36.3"],
      ["cluster", "up", "--kubernetes-version", "v1.30.14"],
      ["run", "--kubernetes-version", "v1.36.3", "--node-image", "kind-default"],
      ["run", "--kubernetes-version", "v1.36.3", "--kubeconfig", kubeconfig],
      ["run", "--to", "v1.37.2"],
      ["upgrade", "check", "--from", "v1.36.3"],
      ["upgrade", "rehearse", "--from", "1.36"],
      ["cluster", "upgrade", "--to", "latest"],
      ["upgrade", "launch"],
      ["chaos", "--profile", profile],
      ["run", "--dry-run"],
      ["run", "--duration", "5m"],
      ["cluster", "up", "--focus", "G1"],
      ["upgrade", "watch", "--storage-class", "s"],
      ["report", "--kubeconfig", kubeconfig],
      ["run", "--kubeconfig", "/no/such/kubeconfig"],
      ["storage", "--profile", "no-such-profile.yaml"],
      ["run", "--json"],
      ["help", "launch"],
      ["launch", "--help"],
    ]) {
      const error = (() => {
        try {
          parseOptions(argv);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(HarnessError);
      expect((error as HarnessError).exitCode).toBe(2);
    }
  });

  test("a storage profile belongs to storage and run", () => {
    expect(parseOptions(["storage", "--profile", profile]).profile).toBe(profile);
    expect(parseOptions(["run", "--profile", profile]).profile).toBe(profile);
    expect(parseOptions(["storage"]).profile).toBeUndefined();
  });

  test("a flag of another command is refused, naming the flag and the command", () => {
    expect(() => parseOptions(["run", "--seed", "3", "--dry-run"])).toThrow(
      "--seed, --dry-run do not belong to 'run'; see --help",
    );
    expect(() => parseOptions(["upgrade", "check", "--to", "v1.37.2"])).toThrow(
      "--to does not belong to 'upgrade check'; see --help",
    );
  });

  test("--version, report, --html, and --json with --list or chaos --dry-run", () => {
    expect(parseOptions(["--version"]).command).toBe("version");
    expect(parseOptions(["-V"]).command).toBe("version");
    expect(parseOptions(["report"]).command).toBe("report");
    expect(parseOptions(["run", "--html"]).html).toBe(true);
    expect(parseOptions(["run", "--list", "--json"]).json).toBe(true);
    expect(parseOptions(["chaos", "--dry-run", "--json"]).json).toBe(true);
  });
});

describe("the command table", () => {
  test("every command's flags are in the flag table, every flag serves a command, no words twice", () => {
    const taken = new Set(commands.flatMap((c) => c.flags));
    for (const f of Object.keys(flags) as FlagName[])
      if (f !== "help" && f !== "version") expect([f, taken.has(f)]).toEqual([f, true]);
    expect(new Set(commands.map((c) => c.words)).size).toBe(commands.length);
  });

  test("each command's two examples parse as that command, with its own flags", () => {
    for (const c of commands)
      for (const example of c.examples) {
        const argv = example
          .replace(/^(?:\w+=\S+ )*sts-conformance /, "")
          .replace(/ &$/, "")
          .split(" ");
        const files = argv.map((a) => (/\.ya?ml$|^~/.test(a) ? "package.json" : a)); // named files must exist
        expect([example, parseOptions(files).command]).toEqual([example, c.words === "version" ? "version" : c.words]);
      }
  });

  test("help: whole with no words, 'help' or --help; a command's with 'help <command>' or '<command> --help'", () => {
    for (const argv of [[], ["help"], ["--help"], ["-h"]])
      expect(parseOptions(argv)).toMatchObject({ command: "help" });
    expect(parseOptions(["help", "storage"])).toMatchObject({ command: "help", helpOf: "storage" });
    expect(parseOptions(["upgrade", "check", "--help"])).toMatchObject({ command: "help", helpOf: "upgrade check" });
    // a group's word alone: its commands
    expect(parseOptions(["upgrade", "--help"])).toMatchObject({ command: "help", helpOf: "upgrade" });
    expect(groupHelp("cluster")).toContain("\n  cluster upgrade  upgrade the kind cluster in place");
    expect(() => parseOptions(["upgrade"])).toThrow('unknown command "upgrade"');
  });

  test("a command's help prints its flags, the settings it reads and two examples; the whole help lists every command", () => {
    const storage = commands.find((c) => c.words === "storage");
    if (!storage) throw new Error("no storage command");
    const help = commandHelp(storage);
    expect(help).toMatch(/^usage: sts-conformance storage \[options\]/);
    expect(help).toContain("--profile F");
    expect(help).not.toContain("--seed");
    expect(help).toContain("STS_STORAGE_PROFILE");
    expect(help).toContain("examples:\n  sts-conformance storage --kubeconfig");
    for (const c of commands) expect(usage()).toContain(`\n  ${c.words.padEnd(16)} `);
  });
});
