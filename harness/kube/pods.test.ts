import { describe, expect, test } from "@jest/globals";
import type * as k8s from "@kubernetes/client-node";
import { isSystemService } from "./pods.js";

const pod = (owner?: string): k8s.V1Pod => ({
  metadata: {
    name: "p",
    ...(owner ? { ownerReferences: [{ apiVersion: "v1", kind: owner, name: "o", uid: "u" }] } : {}),
  },
});

describe("system pods: what serves the cluster, not one-shot work", () => {
  test("a static pod (owned by its Node) and a controller's pod are services", () => {
    expect(isSystemService(pod("Node"))).toBe(true);
    expect(isSystemService(pod("DaemonSet"))).toBe(true);
    expect(isSystemService(pod("ReplicaSet"))).toBe(true);
  });
  test("a bare pod (local-path's helper for one volume) is not", () => {
    expect(isSystemService(pod())).toBe(false);
  });
});
