import { describe, expect, test } from "@jest/globals";
import { HarnessError } from "../errors/harness-error.js";
import { assertSameCluster, parseBaseline } from "./baseline.js";
import { upgradeStep } from "../cluster/kind-upgrade.js";

const one = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(HarnessError);
    expect((e as HarnessError).exitCode).toBe(2);
    expect((e as Error).message).not.toContain("\n");
    return (e as Error).message;
  }
  throw new Error("no error");
};

describe("the upgrade baseline", () => {
  const b = {
    schema: 1,
    namespace: "sts-upgrade",
    clusterUid: "uid-a",
    serverVersion: "v1.36.3",
    preparedAt: "t",
    nodes: { "cp-1": "v1.36.3" },
    writerNode: "cp-1",
    writer: "w",
    sets: [],
  };

  test("read back as written", () => {
    expect(parseBaseline(JSON.stringify(b), "f")).toEqual(b);
  });

  test("junk, or another schema, is one line, exit 2", () => {
    expect(one(() => parseBaseline("{", "the file"))).toMatch(/^the upgrade baseline in the file is not JSON/);
    expect(one(() => parseBaseline(JSON.stringify({ ...b, schema: 2 }), "the file"))).toMatch(/run it again$/);
  });

  test("a baseline of another cluster is refused, naming both", () => {
    expect(() => assertSameCluster(b as never, "uid-a", "f")).not.toThrow();
    expect(one(() => assertSameCluster(b as never, "uid-b", "f"))).toMatch(/kube-system uid-a, this one is uid-b/);
  });
});

describe("what kubeadm upgrades", () => {
  test("a newer patch or the next minor", () => {
    expect(() => upgradeStep("v1.36.3", "v1.37.2")).not.toThrow();
    expect(() => upgradeStep("v1.36.1", "v1.36.3")).not.toThrow();
  });

  test("the same version, an older one, or two minors ahead is one line, exit 2", () => {
    for (const [from, to] of [
      ["v1.37.2", "v1.37.2"],
      ["v1.37.2", "v1.36.3"],
      ["v1.35.4", "v1.37.2"],
    ] as const)
      expect(one(() => upgradeStep(from, to))).toContain("is not an upgrade kubeadm makes");
  });
});
