import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { repoRoot } from "../config/paths.js";
import { HarnessError } from "../errors/harness-error.js";
import { loadProfile, parseProfile, profileKeys, quantityBytes } from "./profile.js";

const good = `apiVersion: sts-conformance.io/v1
kind: StorageProfile
storageClass: fast
claimSize: 1Gi
promises:
  topology: zonal
  zoneKey: topology.kubernetes.io/zone
  accessModes: [ReadWriteOnce]
  bindingMode: WaitForFirstConsumer
  expansion: true
  fsGroup: true
  powerLossDurable: true
budgets:
  bound: 30
  expansion: 120
`;

/** The one line a profile's text fails with. */
function failure(text: string): string {
  try {
    parseProfile(text, "p.yaml");
  } catch (e) {
    expect(e).toBeInstanceOf(HarnessError);
    expect((e as HarnessError).exitCode).toBe(2);
    expect((e as Error).message).not.toContain("\n");
    return (e as Error).message;
  }
  throw new Error("the profile was accepted");
}

describe("storage profile", () => {
  test("a whole profile is read as written", () => {
    const p = parseProfile(good, "p.yaml");
    expect(p).toMatchObject({
      storageClass: "fast",
      claimSize: "1Gi",
      promises: { topology: "zonal", zoneKey: "topology.kubernetes.io/zone", expansion: true, powerLossDurable: true },
      budgetsS: { bound: 30, expansion: 120 },
    });
  });

  test("the profiles of the suite's own classes parse", () => {
    const dir = join(repoRoot, "fixtures", "storage-profiles");
    const names = readdirSync(dir).filter((f) => f.endsWith(".yaml"));
    expect(names.sort()).toEqual(["lazyfs.yaml", "shared.yaml", "standard.yaml"]);
    for (const f of names) expect(loadProfile(join(dir, f)).storageClass).toBe(f.replace(".yaml", ""));
  });

  test("an unknown key, also nested, is one line with its path", () => {
    expect(failure(good.replace("  topology: zonal", "  topolgy: zonal"))).toBe(
      "storage profile p.yaml: promises.topolgy: unknown key (known here: topology, accessModes, bindingMode, expansion, fsGroup, powerLossDurable, zoneKey)",
    );
    expect(failure(good.replace("  bound: 30", "  boundd: 30"))).toMatch(
      /^storage profile p\.yaml: budgets\.boundd: unknown key/,
    );
    expect(failure(`${good}extra: 1\n`)).toMatch(/: extra: unknown key/);
  });

  test("a wrong type or value is one line with its path and what was seen", () => {
    expect(failure(good.replace("expansion: true", 'expansion: "yes"'))).toBe(
      'storage profile p.yaml: promises.expansion: must be true or false, got the string "yes"',
    );
    expect(failure(good.replace("  bound: 30", "  bound: -1"))).toMatch(/budgets\.bound: must be a number of seconds/);
    expect(failure(good.replace("[ReadWriteOnce]", "[ReadWriteOnce, Sometimes]"))).toMatch(
      /promises\.accessModes\[1\]: must be one of ReadWriteOnce/,
    );
    expect(failure(good.replace("claimSize: 1Gi", "claimSize: 1 gig"))).toMatch(/claimSize: must be a size/);
    expect(failure(good.replace("kind: StorageProfile", "kind: Profile"))).toMatch(/kind: must be StorageProfile/);
    expect(failure(good.replace("  fsGroup: true\n", ""))).toMatch(/promises\.fsGroup: missing/);
  });

  test("promises that contradict each other are one line naming the key", () => {
    const pinned = good
      .replace("topology: zonal", "topology: node-pinned")
      .replace("  zoneKey: topology.kubernetes.io/zone\n", "");
    expect(failure(pinned.replace("WaitForFirstConsumer", "Immediate"))).toMatch(
      /promises\.bindingMode: Immediate contradicts topology node-pinned/,
    );
    expect(failure(`${pinned}  moveAfterDrain: 60\n`)).toMatch(
      /budgets\.moveAfterDrain: a node-pinned volume does not move/,
    );
    expect(failure(good.replace("expansion: true", "expansion: false"))).toMatch(
      /budgets\.expansion: expansion is not promised/,
    );
    expect(failure(good.replace("topology: zonal", "topology: any-node"))).toMatch(
      /promises\.zoneKey: belongs to topology zonal/,
    );
    expect(failure(pinned.replace("[ReadWriteOnce]", "[ReadWriteOnce, ReadWriteMany]"))).toMatch(
      /ReadWriteMany contradicts/,
    );
  });

  test("not YAML, a repeated key, or no file: one line", () => {
    expect(failure("storageClass: [")).toMatch(/^storage profile p\.yaml: not YAML/);
    expect(failure(`${good}storageClass: again\n`)).toMatch(/not YAML: Map keys must be unique/);
    expect(() => loadProfile("/nonexistent/p.yaml")).toThrow(
      "storage profile /nonexistent/p.yaml: cannot be read (ENOENT)",
    );
  });

  test("the JSON Schema for editors knows the same keys as the parser", () => {
    const schema = JSON.parse(readFileSync(join(repoRoot, "harness/storage/profile.schema.json"), "utf8")) as {
      required: string[];
      properties: Record<string, { required?: string[]; properties: Record<string, unknown> }>;
    };
    const keysOf = (s: { required?: string[]; properties: Record<string, unknown> }) => ({
      required: [...(s.required ?? [])].sort(),
      all: Object.keys(s.properties).sort(),
    });
    const parser = (k: { required: string[]; optional: string[] }) => ({
      required: [...k.required].sort(),
      all: [...k.required, ...k.optional].sort(),
    });
    expect(keysOf(schema as never)).toEqual(parser(profileKeys.top));
    expect(keysOf(schema.properties.promises as never)).toEqual(parser(profileKeys.promises));
    expect(keysOf(schema.properties.budgets as never)).toEqual(parser(profileKeys.budgets));
    expect(keysOf(schema.properties.waived as never)).toEqual(parser(profileKeys.waived));
  });

  test("waivers: a capability id and its reason; an unknown id or no reason is one line", () => {
    expect(parseProfile(`${good}waived:\n  node-loss: nodes here cannot be stopped\n`, "p.yaml").waived).toEqual({
      "node-loss": "nodes here cannot be stopped",
    });
    expect(failure(`${good}waived:\n  teleport: no\n`)).toMatch(/waived\.teleport: unknown key/);
    expect(failure(`${good}waived:\n  drain: ""\n`)).toMatch(
      /waived\.drain: must be the reason it cannot be tried here/,
    );
  });

  test("sizes in bytes", () => {
    expect(quantityBytes("16Mi")).toBe(16 * 2 ** 20);
    expect(quantityBytes("1G")).toBe(1e9);
  });
});
