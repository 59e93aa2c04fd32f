import { describe, expect, test } from "@jest/globals";
import { kindOf, titleOf } from "./test-meta.js";

describe("a test's title, built from its metadata", () => {
  test("guarantees, a negative control, a mode, a variant, a storage capability, the suite's own", () => {
    expect(titleOf({ guarantees: ["G15", "G10"], says: "from the top" })).toBe("G15 G10: from the top");
    expect(titleOf({ guarantees: ["G26"], control: true, says: "flags" })).toBe("G26 negative control: flags");
    expect(titleOf({ mode: "chaos", guarantees: ["G9", "G23"], says: "faults" })).toBe("Chaos G9 G23: faults");
    expect(titleOf({ mode: "upgrade", guarantees: ["G25", "G9"], control: true, says: "careless" })).toBe(
      "Upgrade G25 G9 negative control: careless",
    );
    expect(titleOf({ guarantees: ["G9"], variant: "power loss", says: "cuts" })).toBe("G9 power loss: cuts");
    expect(titleOf({ proves: ["expansion"], control: true, says: "refused" })).toBe(
      "Storage expansion negative control: refused",
    );
    // a test that also proves a capability is named by its guarantees
    expect(titleOf({ guarantees: ["G25"], proves: ["drain"], says: "drained" })).toBe("G25: drained");
    expect(titleOf({ about: "Timeline", guarantees: ["G13"], says: "a gap" })).toBe("Timeline: a gap");
    expect(titleOf({ says: "every node is Ready" })).toBe("every node is Ready");
  });

  test("its kind: a control, a check of a guarantee or capability, or a test of the suite itself", () => {
    expect(kindOf({ guarantees: ["G1"], control: true, says: "x" })).toBe("control");
    expect(kindOf({ proves: ["fs-group"], says: "x" })).toBe("check");
    expect(kindOf({ about: "Environment", says: "x" })).toBe("suite");
  });
});
