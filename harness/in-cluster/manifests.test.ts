import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { accessReviews, suiteRights, without } from "../cluster/rights.js";
import { rbacFile, rbacObjects, rbacYaml } from "./manifests.js";

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };

/** Every "verb resource[/sub]" a ClusterRole's rules grant. */
const granted = (rules: Rule[]) =>
  rules.flatMap((r) => r.resources.flatMap((res) => r.verbs.map((v) => `${v} ${res}`))).sort();

describe("in-cluster RBAC", () => {
  it("deploy/rbac/rbac.yaml is what the rights list generates (run `npm run manifests` when this fails)", () => {
    expect(readFileSync(rbacFile, "utf8")).toBe(rbacYaml());
  });

  it("the ClusterRole grants exactly what the preflight checks, nothing more", () => {
    const docs = parseAllDocuments(readFileSync(rbacFile, "utf8")).map(
      (d) => d.toJS() as { kind: string; rules?: Rule[] },
    );
    const role = docs.find((d) => d.kind === "ClusterRole");
    expect(granted(role?.rules ?? [])).toEqual(
      accessReviews(suiteRights)
        .map((a) => a.name)
        .sort(),
    );
  });

  it("a role without one right lacks exactly that one (the Sonobuoy negative control's)", () => {
    const less = rbacObjects(without(suiteRights, "create pods/eviction"), "x") as { kind: string; rules?: Rule[] }[];
    const rules = less.find((o) => o.kind === "ClusterRole")?.rules ?? [];
    expect(granted(rules)).not.toContain("create pods/eviction");
    expect(granted(rules)).toHaveLength(accessReviews(suiteRights).length - 1);
    expect(() => without(suiteRights, "fly pods")).toThrow(/not one of the suite's rights/);
  });
});
