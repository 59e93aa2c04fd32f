import { describe, expect, test } from "@jest/globals";
import { readFileSync } from "node:fs";
import { paths } from "../config/paths.js";
import { loadYaml } from "@kubernetes/client-node";
import { kindWorkerNames, renderKindConfig, sharedVolumesPath } from "./kind-config.js";

describe("kind config", () => {
  test("worker names as kind makes them, from the repository's kind-config.yaml, without the fault node", () => {
    expect(kindWorkerNames(readFileSync(paths.kindConfig, "utf8"), "sts-conformance")).toEqual([
      "sts-conformance-worker",
      "sts-conformance-worker2",
    ]);
  });

  test("the config a cluster is made from mounts the shared volumes' host directory into every node, the rest as written", () => {
    const written = readFileSync(paths.kindConfig, "utf8");
    const rendered = loadYaml<{ nodes: { role: string; extraMounts: unknown[] }[]; featureGates: unknown }>(
      renderKindConfig(written, "/host/shared"),
    );
    const original = loadYaml<{ nodes: unknown[]; featureGates: unknown }>(written);
    expect(rendered.nodes).toHaveLength(original.nodes.length);
    for (const n of rendered.nodes)
      expect(n.extraMounts).toEqual([{ hostPath: "/host/shared", containerPath: sharedVolumesPath }]);
    expect(rendered.featureGates).toEqual(original.featureGates);
    expect(kindWorkerNames(renderKindConfig(written, "/x"), "c")).toEqual(kindWorkerNames(written, "c"));
  });
});
