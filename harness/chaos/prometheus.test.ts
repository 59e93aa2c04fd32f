// The chaos run's Prometheus textfile, read by Prometheus's own parser and linter (a small Go
// program over client_golang's promlint): what node_exporter's textfile collector would accept.
import { describe, expect, test } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../config/paths.js";
import { toPrometheus, type RunResult } from "./results.js";

const run: RunResult = {
  seed: 42,
  startedAt: "2026-12-05T10:00:00.000Z",
  acknowledgedWrites: 900,
  lostWrites: undefined,
  unseenWrites: 0,
  rssStartBytes: 1,
  rssEndBytes: 2,
  iterations: [
    {
      iteration: 1,
      fault: "pod-delete",
      target: "web-1",
      recoveryMs: 4000,
      budgetMs: 30000,
      problems: [],
      rssBytes: 1,
    },
    {
      iteration: 2,
      fault: "node-stop",
      target: "w1",
      recoveryMs: 0,
      budgetMs: 180000,
      problems: [],
      skipped: "over the budget",
      rssBytes: 1,
    },
  ],
};

const dir = mkdtempSync(join(tmpdir(), "promlint-"));
const lint = join(dir, "promlint");
/** Prometheus's verdict on a textfile: "" when clean, else its problems. */
function promlint(text: string): string {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.prom`);
  writeFileSync(file, text);
  try {
    execFileSync(lint, [file], { stdio: "pipe" });
    return "";
  } catch (e) {
    return String((e as { stdout?: Buffer }).stdout ?? e);
  }
}

describe("the chaos run's Prometheus textfile", () => {
  test("passes Prometheus's parser and linter; a quantile label on a gauge (the old file) does not", () => {
    // compiled once per machine (Go's build cache): about 25 s cold, a second warm
    execFileSync("go", ["build", "-o", lint, "."], {
      cwd: join(repoRoot, "harness", "tools", "promlint"),
      stdio: "pipe",
    });
    expect(promlint(toPrometheus(run))).toBe("");
    expect(promlint('# HELP x y\n# TYPE x gauge\nx{fault="a",quantile="p50"} 1\n')).toContain(
      'non-summary metrics should not have "quantile" label',
    );
  }, 300_000);
});
