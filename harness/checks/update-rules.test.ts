import { describe, expect, test } from "@jest/globals";
import { checkRejectedAsImmutable } from "./update-rules.js";

const forbidden =
  "StatefulSet.apps \"web\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', … are forbidden";

describe("G38 immutable fields", () => {
  test("holds when every update was rejected because the field is immutable", () => {
    expect(checkRejectedAsImmutable([{ field: "spec.selector", code: 422, message: forbidden }])).toEqual([]);
  });
  test("flags an accepted update, and one rejected for another reason", () => {
    const v = checkRejectedAsImmutable([
      { field: "spec.replicas", code: 200, message: "accepted" },
      { field: "spec.selector", code: 422, message: "selector does not match template labels" },
    ]);
    expect(v.map((x) => x.seen.split(":")[0])).toEqual(["HTTP 200", "rejected for another reason"]);
  });
});
