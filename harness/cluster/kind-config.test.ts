import { describe, expect, test } from "@jest/globals";
import { readFileSync } from "node:fs";
import { paths } from "../config/paths.js";
import { kindWorkerNames } from "./kind-config.js";

describe("kind config", () => {
  test("worker names as kind makes them, from the repository's kind-config.yaml, without the fault node", () => {
    expect(kindWorkerNames(readFileSync(paths.kindConfig, "utf8"), "sts-conformance")).toEqual([
      "sts-conformance-worker",
      "sts-conformance-worker2",
    ]);
  });
});
