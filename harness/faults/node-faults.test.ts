import { afterEach, describe, expect, test } from "@jest/globals";
import { nodeFaultPath } from "./node-faults.js";

const saved = { ...process.env };
const on = (env: Record<string, string>) => Object.assign(process.env, env);

describe("the path a node fault takes", () => {
  afterEach(() => {
    process.env = { ...saved };
  });

  test("on the suite's kind cluster: its node containers, through Docker", () => {
    on({ STS_KIND_CLUSTER: "sts-conformance" });
    expect(["node-stop", "node-pause", "kubelet-stop", "partition"].map((k) => nodeFaultPath(k as never))).toEqual([
      "docker",
      "docker",
      "docker",
      "docker",
    ]);
  });

  test("on kind with STS_NODE_FAULTS=pod: a privileged pod for what a pod can make, Docker for the rest", () => {
    on({ STS_KIND_CLUSTER: "sts-conformance", STS_NODE_FAULTS: "pod" });
    expect(nodeFaultPath("kubelet-stop")).toBe("pod");
    expect(nodeFaultPath("partition")).toBe("pod");
    expect(nodeFaultPath("node-pause")).toBe("docker");
  });

  test("off kind: a privileged pod, and none for a stop or a freeze (a pod cannot start its node again)", () => {
    on({ STS_KIND_CLUSTER: "" });
    expect(nodeFaultPath("kubelet-stop")).toBe("pod");
    expect(nodeFaultPath("partition")).toBe("pod");
    expect(nodeFaultPath("node-stop")).toBeUndefined();
    expect(nodeFaultPath("node-pause")).toBeUndefined();
  });
});
