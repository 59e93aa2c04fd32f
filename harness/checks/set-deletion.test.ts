import { describe, expect, test } from "@jest/globals";
import { checkSetDeletionLeaves } from "./set-deletion.js";

describe("G39 set deletion leaves the Service and the claims", () => {
  const claims = ["data-web-0", "data-web-1"];

  test("holds when both are left", () => {
    expect(checkSetDeletionLeaves({ service: { name: "web", exists: true }, claims }, claims)).toEqual([]);
  });

  test("flags a Service deleted with the set, and each claim gone", () => {
    const v = checkSetDeletionLeaves({ service: { name: "web", exists: false }, claims: ["data-web-0"] }, claims);
    expect(v.map((x) => x.pod)).toEqual(["web", "data-web-1"]);
  });
});
