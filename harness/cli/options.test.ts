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

  test("bad input is a HarnessError with exit code 2", () => {
    for (const argv of [["launch"], ["run", "--nope"], ["run", "--focus", "("]]) {
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
