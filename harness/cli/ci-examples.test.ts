// docs/ci/'s GitHub Actions examples use the CLI exactly as documented: every `sts-conformance`
// command in them parses, with flags of its own command only, and chaos flags a chaos run takes.
import { describe, expect, test } from "@jest/globals";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { parseChaosFlags } from "../chaos/options.js";
import { repoRoot } from "../config/paths.js";
import { parseOptions } from "./options.js";

const dir = join(repoRoot, "docs", "ci");

interface Workflow {
  jobs: Record<string, { steps: { run?: string }[] }>;
}

/** The CLI's arguments in a step's command: after `sts-conformance`, up to a redirection or `&`. */
function invocations(run: string): string[][] {
  return [...run.matchAll(/sts-conformance((?: [^>&|\n]+)*)/g)].map((m) =>
    (m[1] ?? "")
      .trim()
      .replace(/\$\{\{[^}]*\}\}/g, "42") // an expression: a value
      .split(/\s+/)
      .map((a) => a.replace(/^"|"$/g, "")),
  );
}

/** Files the flags name exist where the workflow runs; here the repository's own stand in. */
const withFiles = (argv: string[]) =>
  argv.map((a, i) => (["--kubeconfig", "--profile", "--budget"].includes(argv[i - 1] ?? "") ? "package.json" : a));

describe("docs/ci examples", () => {
  const files = readdirSync(dir).filter((f) => f.endsWith(".yml"));

  test("one for each use: the upgrade gate, the storage vendor, the nightly chaos run", () => {
    expect(files.sort()).toEqual(["nightly-chaos.yml", "storage-vendor.yml", "upgrade-gate.yml"]);
  });

  test.each(["nightly-chaos.yml", "storage-vendor.yml", "upgrade-gate.yml"])(
    "%s: every sts-conformance command parses as documented",
    (file) => {
      const workflow = parse(readFileSync(join(dir, file), "utf8")) as Workflow;
      const argvs = Object.values(workflow.jobs)
        .flatMap((j) => j.steps)
        .flatMap((s) => (s.run ? invocations(s.run) : []));
      expect(argvs.length).toBeGreaterThan(0);
      for (const argv of argvs) {
        const o = parseOptions(withFiles(argv));
        if (o.command === "chaos")
          parseChaosFlags(o.chaos, { disruptiveAllowed: true, onKind: o.kubeconfig === undefined });
      }
    },
  );
});
