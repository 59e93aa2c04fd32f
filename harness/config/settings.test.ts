import { describe, expect, test } from "@jest/globals";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSettings, settingsEnv, settingsHelp } from "./settings.js";

describe("settings", () => {
  test("defaults when nothing is set", () => {
    const s = readSettings({});
    expect(s.quietWindowS).toBe(5);
    expect(s.clusterName).toBe("sts-conformance");
    expect(s.keepCluster).toBe(false);
    expect(s.kubeconfig).toBeUndefined();
  });

  test("values are parsed", () => {
    const s = readSettings({ STS_QUIET_WINDOW_S: "2.5", STS_KEEP_CLUSTER: "1", STS_KUBECONFIG: "" });
    expect(s.quietWindowS).toBe(2.5);
    expect(s.keepCluster).toBe(true);
    expect(s.kubeconfig).toBe("");
  });

  test.each([
    ["STS_QUIET_WINDOW_S", "abc"],
    ["STS_QUIET_WINDOW_S", "0"],
    ["STS_QUIET_WINDOW_S", "0.5"],
    ["STS_QUIET_WINDOW_S", ""],
    ["STS_KEEP_CLUSTER", "maybe"],
    ["STS_ALLOW_DISRUPTIVE", "2"],
    ["STS_CLUSTER_NAME", "Bad_Name"],
    ["STS_NODE_FAULTS", "ssh"],
    ["STS_POD_FAULT_HOLD_S", "5"],
    ["STS_DNS_PROPAGATION_S", "2"],
  ])("%s=%j is one clear error naming the variable", (name, value) => {
    expect(() => readSettings({ [name]: value })).toThrow(new RegExp(`^${name}="${value}" is not `));
  });

  test("a setting naming a path is checked with the others: a directory that cannot be written, a file that is not there", () => {
    const dir = mkdtempSync(join(tmpdir(), "settings-"));
    writeFileSync(join(dir, "a-file"), "");
    const cases: [string, string, RegExp][] = [
      ["STS_REPORTS_DIR", join(dir, "a-file"), /is not a directory the suite can write \(it is not a directory\)/],
      ["STS_REPORTS_DIR", join(dir, "a-file", "below"), /\(.*a-file is a file\)/],
      ["STS_REPORTS_DIR", "/proc/reports", /\(\/proc cannot be written/],
      ["STS_CHAOS_HISTORY", dir, /is not a file the suite can append to \(it is not a file\)/],
      ["STS_STORAGE_PROFILE", join(dir, "none.yaml"), /: it does not exist; give a file that can be read$/],
      ["STS_KUBECONFIG", dir, /: it cannot be read as a file/],
    ];
    for (const [name, value, why] of cases) expect(() => readSettings({ [name]: value })).toThrow(why);
    // one to be made inside a folder that can be written is fine; nothing is left by the check
    expect(readSettings({ STS_REPORTS_DIR: join(dir, "new", "reports") }).reportsDir).toBe(join(dir, "new", "reports"));
    expect(readdirSync(dir)).toEqual(["a-file"]);
  });

  test("settingsEnv maps keys to their variables; help lists users' variables only", () => {
    expect(settingsEnv({ storageClass: "fast", runId: "r1" })).toEqual({
      STS_STORAGE_CLASS: "fast",
      STS_RUN_ID: "r1",
    });
    expect(settingsHelp()).toContain("STS_QUIET_WINDOW_S");
    expect(settingsHelp()).not.toContain("STS_RUN_ID");
  });
});
