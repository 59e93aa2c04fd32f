import { describe, expect, test } from "@jest/globals";
import { junitXml } from "./junit.js";

describe("the JUnit writer", () => {
  test("the run's properties on each suite, a case's output in <system-out>, outcomes counted, text made safe", () => {
    const esc = String.fromCharCode(27);
    const xml = junitXml(
      "run",
      [
        {
          name: "suites/a.test.ts",
          cases: [
            { classname: "a", name: "G1 held", seconds: 1.5, systemOut: `  1 +0.1s ADDED Pod web-0 <x>${esc}[31m` },
            {
              classname: "a",
              name: "G2",
              seconds: 2,
              outcome: { kind: "failure", type: "BROKEN", message: "G2 broken" },
            },
            { classname: "a", name: "G3", seconds: 0, outcome: { kind: "skipped", message: "gate off" } },
          ],
        },
      ],
      { seed: "42", "target.kubernetesVersion": "v1.37.2" },
    );
    expect(xml).toContain('<testsuites name="run" tests="3" failures="1" errors="0" skipped="1" time="3.500">');
    expect(xml).toContain('<property name="seed" value="42"/>');
    expect(xml).toContain('<property name="target.kubernetesVersion" value="v1.37.2"/>');
    expect(xml).toContain("<system-out>  1 +0.1s ADDED Pod web-0 &lt;x&gt;</system-out>");
    expect(xml).toContain('<failure type="BROKEN" message="G2 broken"></failure>');
    expect(xml).toContain('<skipped message="gate off"/>');
  });
});
