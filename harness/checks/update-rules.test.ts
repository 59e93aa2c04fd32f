import { describe, expect, test } from "@jest/globals";
import { Inconclusive } from "../verdict/verdict.js";
import { checkRejectedAsImmutable, updateOutcome } from "./update-rules.js";

const forbidden =
  "StatefulSet.apps \"web\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', … are forbidden";

/** A 422 Status body as v1.37 sends it: the error on the field itself. */
const invalid = (field: string, why: string) =>
  JSON.stringify({
    kind: "Status",
    status: "Failure",
    message: `StatefulSet.apps "web" is invalid: ${field}: Invalid value: "x": ${why}`,
    reason: "Invalid",
    details: { causes: [{ reason: "FieldValueInvalid", message: `Invalid value: "x": ${why}`, field }] },
    code: 422,
  });

describe("G38 immutable fields", () => {
  test("holds when every update was rejected because the field is immutable", () => {
    expect(checkRejectedAsImmutable([{ field: "spec.selector", code: 422, message: forbidden }])).toEqual([]);
  });
  test("holds on v1.37's per-field answer, for that field only", () => {
    const immutable = invalid("spec.serviceName", "field is immutable");
    expect(checkRejectedAsImmutable([{ field: "spec.serviceName", code: 422, message: immutable }])).toEqual([]);
    expect(checkRejectedAsImmutable([{ field: "spec.selector", code: 422, message: immutable }])).toHaveLength(1);
    const other = invalid("spec.serviceName", "must be no more than 63 characters");
    expect(checkRejectedAsImmutable([{ field: "spec.serviceName", code: 422, message: other }])).toHaveLength(1);
  });
  test("flags an accepted update, and one rejected for another reason", () => {
    const v = checkRejectedAsImmutable([
      { field: "spec.replicas", code: 200, message: "accepted" },
      { field: "spec.selector", code: 422, message: "selector does not match template labels" },
    ]);
    expect(v.map((x) => x.seen.split(":")[0])).toEqual(["HTTP 200", "rejected for another reason"]);
  });
  test("a refusal that is neither acceptance nor invalidity (403, 400, 404) is inconclusive, never 'accepted'", () => {
    const webhook = 'admission webhook "policy.example.com" denied the request';
    expect(() => updateOutcome("spec.selector", 403, webhook)).toThrow(Inconclusive);
    expect(() => updateOutcome("spec.selector", 404, "not found")).toThrow(/refused with HTTP 404/);
    expect(updateOutcome("spec.selector", 422, forbidden)).toEqual({
      field: "spec.selector",
      code: 422,
      message: forbidden,
    });
    expect(checkRejectedAsImmutable([{ field: "spec.selector", code: 403, message: webhook }])[0]?.seen).not.toMatch(
      /accepted/,
    );
  });
});
