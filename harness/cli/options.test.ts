import { describe, expect, test } from "@jest/globals";
import { HarnessError } from "../errors/harness-error.js";
import { parseOptions } from "./options.js";

describe("CLI options", () => {
  test("run with a kubeconfig and context", () => {
    const o = parseOptions(["run", "--kubeconfig", "/k", "--context", "c", "--focus", "G13"]);
    expect(o).toMatchObject({
      command: "run",
      kubeconfig: "/k",
      context: "c",
      focus: "G13",
      list: false,
      nodeImage: "auto",
    });
  });

  test("two-word commands", () => {
    expect(parseOptions(["cluster", "up"]).command).toBe("cluster-up");
    expect(parseOptions(["cluster", "down"]).command).toBe("cluster-down");
  });

  test("a Kubernetes version for the kind cluster", () => {
    expect(parseOptions(["cluster", "up", "--kubernetes-version", "v1.36.3"]).kubernetesVersion).toBe("v1.36.3");
    expect(parseOptions(["run"]).kubernetesVersion).toBe("");
  });

  test("bad input is a HarnessError with exit code 2", () => {
    for (const argv of [
      ["launch"],
      ["run", "--nope"],
      ["run", "--focus", "("],
      ["cluster", "up", "--kubernetes-version", "1.36.3"],
      ["cluster", "up", "--kubernetes-version", "v1.30.14"],
      ["run", "--kubernetes-version", "v1.36.3", "--node-image", "kind-default"],
      ["run", "--kubernetes-version", "v1.36.3", "--kubeconfig", "/k"],
    ]) {
      const error = (() => {
        try {
          parseOptions(argv);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(HarnessError);
      expect((error as HarnessError).exitCode).toBe(2);
    }
  });
});
