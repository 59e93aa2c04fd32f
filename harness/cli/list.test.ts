import { describe, expect, test } from "@jest/globals";
import { listTests } from "./list.js";

describe("--list reads the specs without running them", () => {
  test("finds checks and negative controls, with their describe titles", () => {
    const names = listTests().map((t) => t.fullName);
    expect(names.some((n) => n.startsWith("G1 G13 G14 ordered creation (OrderedReady) G1 G13:"))).toBe(true);
    expect(names.filter((n) => n.includes("negative control")).length).toBeGreaterThanOrEqual(6);
  });
  test("focus and skip filter like Jest's --testNamePattern", () => {
    const g25 = listTests("G25", "negative control").map((t) => t.fullName);
    expect(g25.length).toBeGreaterThan(0);
    expect(g25.every((n) => n.includes("G25") && !n.includes("negative control"))).toBe(true);
  });
});
