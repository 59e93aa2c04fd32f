import { describe, expect, test } from "@jest/globals";
import type { PodSnapshot } from "../timeline/entry.js";
import { checkStatus } from "./status.js";

const pod = (name: string, ready = true): PodSnapshot => ({
  name,
  uid: name,
  phase: "Running",
  ready,
  terminating: false,
  revision: "r1",
});
const set = (readyReplicas: number) => ({
  metadata: { name: "web" },
  spec: { replicas: 2, selector: {}, serviceName: "web", template: {} },
  status: {
    replicas: 2,
    readyReplicas,
    availableReplicas: readyReplicas,
    currentReplicas: 2,
    updatedReplicas: 2,
    currentRevision: "r1",
    updateRevision: "r1",
  },
});
const scale = { spec: { replicas: 2 }, status: { replicas: 2, selector: "app=web" } };

describe("G34 G35 status and scale", () => {
  test("holds when the status counts the pods and the scale agrees", () => {
    expect(checkStatus(set(2), scale, [pod("web-0"), pod("web-1")], "app=web")).toEqual([]);
  });

  test("flags a ready count the pods do not show, and a scale with another selector", () => {
    const v = checkStatus(
      set(1),
      { ...scale, status: { replicas: 2, selector: "x" } },
      [pod("web-0"), pod("web-1")],
      "app=web",
    );
    expect(v.map((x) => `${x.guarantee} ${x.expected.split(" =")[0]}`)).toEqual([
      "G34 status.readyReplicas",
      "G34 status.availableReplicas",
      "G35 scale status.selector",
    ]);
  });
});
