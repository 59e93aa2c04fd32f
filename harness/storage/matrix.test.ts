import { describe, expect, test } from "@jest/globals";
import { capabilities, capabilityVerdicts, type CapabilityTest } from "./capabilities.js";
import { claimed, inferred } from "./expectations.js";
import { claimedVersusVerified, claimsUnverified, latencyTable, matrixJUnit, matrixTable, quantile } from "./matrix.js";
import { parseProfile } from "./profile.js";

const profile = (promises: string) =>
  parseProfile(
    `apiVersion: sts-conformance.io/v1
kind: StorageProfile
storageClass: fast
claimSize: 1Gi
promises:
  accessModes: [ReadWriteOnce]
  bindingMode: WaitForFirstConsumer
${promises}
budgets:
  bound: 10
`,
    "fast.yaml",
  );
const movable = claimed(
  profile("  topology: any-node\n  expansion: true\n  fsGroup: false\n  powerLossDurable: true"),
  undefined,
);

/** A test that proves `capability`, named by it. */
const t = (
  capability: string,
  verdict: CapabilityTest["verdict"],
  control = false,
  skipReason?: string,
): CapabilityTest => ({
  name: `${capability}${control ? " negative control" : ""}`,
  capabilities: [capability],
  negativeControl: control,
  verdict,
  ...(skipReason ? { skipReason } : {}),
});
const both = (capability: string, verdict: CapabilityTest["verdict"]) => [
  t(capability, verdict),
  t(capability, "flagged", true),
];
const row = (rows: ReturnType<typeof claimedVersusVerified>, id: string) => rows.find((r) => r.id === id);

describe("claimed versus verified", () => {
  test("each pair of claim and verdict says what it means to the vendor", () => {
    const results = capabilityVerdicts([
      ...both("expansion", "BROKEN"),
      ...both("fs-group", "held"),
      ...both("drain", "held"),
      t("power-loss-durable", "skipped", false, "needs the kind cluster"),
      t("power-loss-durable", "skipped", true, "needs the kind cluster"),
    ]);
    const rows = claimedVersusVerified(results, movable, []);
    expect(row(rows, "expansion")).toMatchObject({
      claim: "claimed",
      verified: "BROKEN",
      outcome: "claimed and BROKEN",
    });
    expect(row(rows, "fs-group")).toMatchObject({ claim: "not claimed", outcome: "not claimed but held" });
    expect(row(rows, "drain")).toMatchObject({ claim: "claimed", value: "any-node", outcome: "claimed and held" });
    expect(row(rows, "power-loss-durable")).toMatchObject({
      outcome: "claimed but not run",
      why: "needs the kind cluster",
    });
    expect(row(rows, "claims-kept")).toMatchObject({ claim: "required", outcome: "claimed but not run" });
    expect(claimsUnverified(rows).map((r) => r.id)).toContain("power-loss-durable");
  });

  test("a capability the class refused, not claimed, is not offered; the refusal is its reason", () => {
    const pinned = claimed(
      profile("  topology: node-pinned\n  expansion: false\n  fsGroup: false\n  powerLossDurable: false"),
      undefined,
    );
    const results = capabilityVerdicts(both("expansion", "held"));
    const refused = { capability: "expansion", why: "the API server refused: forbidden" };
    const rows = claimedVersusVerified(results, pinned, [refused]);
    expect(row(rows, "expansion")).toMatchObject({
      claim: "not claimed",
      verified: "not offered",
      outcome: "not claimed, not offered",
      why: refused.why,
    });
    expect(row(rows, "power-loss-durable")).toMatchObject({ outcome: "not claimed and not run" });
    expect(claimsUnverified(rows).map((r) => r.id)).not.toContain("power-loss-durable");
  });

  test("held in part (a test of it not run here): claimed, partly verified, a gate and a JUnit error; a waiver lifts it", () => {
    const notHere = "pausing a node needs the suite's kind cluster";
    const results = capabilityVerdicts([...both("node-loss", "held"), t("node-loss", "skipped", false, notHere)]);
    const rows = claimedVersusVerified(results, movable, []);
    expect(row(rows, "node-loss")).toMatchObject({
      verified: "held in part",
      outcome: "claimed, partly verified",
      why: `1 of its 3 tests not run: ${notHere}`,
    });
    expect(claimsUnverified(rows).map((r) => r.id)).toContain("node-loss");
    const cases = matrixJUnit("fast", rows).cases;
    expect(cases.find((c) => c.name.startsWith("node-loss:"))?.outcome).toMatchObject({ kind: "error" });
    const waiving = { ...movable, waived: { "node-loss": "no one may pause this cluster's nodes" } };
    expect(row(claimedVersusVerified(results, waiving, []), "node-loss")).toMatchObject({ outcome: "waived" });
  });

  test("a waiver: what this target cannot try is waived with the profile's reason, no gate, skipped in JUnit; never a break", () => {
    const waiving = { ...movable, waived: { "node-loss": "no one may stop this cluster's nodes", expansion: "x" } };
    const results = capabilityVerdicts([
      t("node-loss", "skipped", false, "needs the suite's kind cluster"),
      t("node-loss", "skipped", true, "needs the suite's kind cluster"),
      ...both("expansion", "BROKEN"),
    ]);
    const rows = claimedVersusVerified(results, waiving, []);
    expect(row(rows, "node-loss")).toMatchObject({
      outcome: "waived",
      why: "waived by the profile: no one may stop this cluster's nodes; needs the suite's kind cluster",
    });
    expect(row(rows, "expansion")).toMatchObject({ outcome: "claimed and BROKEN" });
    expect(claimsUnverified(rows).map((r) => r.id)).not.toContain("node-loss");
    const cases = matrixJUnit("fast", rows).cases;
    expect(cases.find((c) => c.name.startsWith("node-loss:"))?.outcome).toMatchObject({ kind: "skipped" });
    expect(cases.find((c) => c.name.startsWith("expansion:"))?.outcome).toMatchObject({ kind: "failure" });
    expect(cases.find((c) => c.name.startsWith("claims-kept:"))?.outcome).toMatchObject({ kind: "error" });
  });

  test("without a profile, each expectation is inferred from the cluster, and says so", () => {
    const sc = {
      provisioner: "x.io/csi",
      metadata: { name: "x" },
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
    };
    const pv = {
      spec: {
        nodeAffinity: {
          required: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["a"] }] },
            ],
          },
        },
      },
    };
    const e = inferred(sc, pv, "1Gi");
    expect(e).toMatchObject({
      topology: { value: "zonal", source: "inferred" },
      zoneKey: "topology.kubernetes.io/zone",
      expansion: { value: true, source: "inferred" },
      powerLossDurable: { value: false },
    });
    const rows = claimedVersusVerified(capabilityVerdicts([]), e, []);
    expect(row(rows, "expansion")).toMatchObject({ claim: "inferred", outcome: "claimed but not run" });
    expect(row(rows, "binding-and-topology")).toMatchObject({ claim: "inferred", value: "zonal" });
    expect(inferred(sc, { spec: {} }, "1Gi").topology.value).toBe("any-node");
  });

  test("the terminal matrix: a header, a line per capability, the failing tests under a broken one", () => {
    const rows = claimedVersusVerified(capabilityVerdicts(both("expansion", "BROKEN")), movable, []);
    const text = matrixTable("fast", movable, rows);
    expect(text).toMatch(
      /^storage capabilities of StorageClass fast \(\(unknown\)\): claims from the profile fast\.yaml/,
    );
    expect(text).toMatch(/expansion +yes \(claimed\) +BROKEN +claimed and BROKEN/);
    expect(text).toContain("BROKEN: expansion");
    expect(text.split("\n")).toHaveLength(2 + capabilities.length + 1);
  });
});

describe("latencies", () => {
  test("p50, p95 and max per operation, against the profile's budget or the default", () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.95)).toBe(4);
    const rows = latencyTable(
      [
        { operation: "bound", ms: 1000 },
        { operation: "bound", ms: 3000 },
        { operation: "bound", ms: 12_000 },
        { operation: "attachAndMount", ms: 2000 },
      ],
      movable,
    );
    expect(rows.find((r) => r.operation === "bound")).toMatchObject({
      samples: 3,
      p50S: 3,
      maxS: 12,
      budgetS: 10,
      budgetSource: "profile",
      verdict: "over budget",
    });
    expect(rows.find((r) => r.operation === "attachAndMount")).toMatchObject({
      budgetSource: "default",
      verdict: "within budget",
    });
    expect(rows.find((r) => r.operation === "expansion")).toMatchObject({ samples: 0, verdict: "not measured" });
  });
});
