import { describe, expect, it } from "@jest/globals";
import type { Kube } from "../kube/client.js";
import { watchOf } from "../kube/watch-of.js";
import { suiteRights, type Verb } from "./rights.js";

/** The group and resource of a collection's API path: /apis/apps/v1/namespaces/ns/statefulsets → apps, statefulsets. */
const collection = (path: string) => {
  const parts = path.split("/").filter(Boolean);
  return { group: parts[0] === "apis" ? (parts[1] ?? "") : "", resource: parts.at(-1) ?? "" };
};

const granted = (group: string, resource: string, verb: Verb) =>
  suiteRights.some((r) => r.group === group && r.resource === resource && !r.subresource && r.verbs.includes(verb));

describe("the suite's rights", () => {
  // a watch the rights lack passes on an admin's kubeconfig and fails only in the cluster, under the
  // generated ClusterRole (the in-cluster check found "watch serviceaccounts" missing so)
  it("grant list and watch on every collection watchOf names", () => {
    const kube = {} as Kube; // only paths are read: nothing is called
    const lacking = Object.entries(watchOf).flatMap(([name, of]) => {
      const { group, resource } = collection(
        (of as (k: Kube, a: string, b: string) => { path: string })(kube, "ns", "x").path,
      );
      return (["list", "watch"] as const)
        .filter((verb) => !granted(group, resource, verb))
        .map((verb) => `watchOf.${name}: ${verb} ${group ? `${group}/` : ""}${resource}`);
    });
    expect(lacking).toEqual([]);
  });
});
