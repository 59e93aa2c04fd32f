import { describe, expect, test } from "@jest/globals";
import { summaryPage, testPage, testPagePath, type RunSummary } from "./html-pages.js";
import type { TestSummary } from "./summary.js";

const t = (name: string, o: Partial<TestSummary>): TestSummary => ({
  file: "suites/x.test.ts",
  name,
  guarantees: [],
  negativeControl: false,
  capabilities: [],
  kind: "check",
  verdict: "held",
  durationMs: 1500,
  measurements: {},
  ...o,
});

const run: RunSummary = {
  schemaVersion: 1,
  tool: { name: "sts-conformance", version: "0.1.0", commit: "abc123" },
  runId: "r1",
  target: { server: "https://127.0.0.1:1", kubernetesVersion: "v1.37.2", nodes: 4, storageClass: "standard" },
  startedAt: "2026-12-05T10:00:00.000Z",
  exitCode: 1,
  counts: { held: 2, broken: 1, inconclusive: 1, skipped: 1 },
  tests: [
    t("G10 G3: a replaced pod keeps its claim", { guarantees: ["G10", "G3"] }),
    t("G3 negative control: a pod renamed is flagged", {
      guarantees: ["G3"],
      negativeControl: true,
      verdict: "flagged",
    }),
    t("G2: scale-down from the highest <ordinal>", {
      guarantees: ["G2"],
      verdict: "BROKEN",
      failure: "G2 broken at #12 for web-0: expected web-2 first",
      failureText: "G2 broken at #12 for web-0: expected web-2 first\n\ntimeline around it: …",
    }),
    t("G23: node loss", { guarantees: ["G23"], verdict: "inconclusive", failure: "watch gap at #40" }),
    t("Storage expansion: grows", {
      capabilities: ["expansion"],
      verdict: "skipped",
      skipReason: "the class refuses expansion",
    }),
  ],
};

describe("the HTML report's pages", () => {
  test("the summary lists every test with its verdict and why, linked to its page; the target and the tool", () => {
    const html = summaryPage(run, "allure/index.html");
    expect(html.match(/<tr class="test"/g)).toHaveLength(5);
    for (const v of ["held", "flagged", "BROKEN", "inconclusive", "skipped"])
      expect(html).toContain(`<tr class="test" data-verdict="${v}">`);
    expect(html).toContain("G2: scale-down from the highest &lt;ordinal&gt;");
    expect(html).toContain("G2 broken at #12 for web-0: expected web-2 first");
    expect(html).toContain("the class refuses expansion");
    expect(html).toContain(`href="${testPagePath(2)}"`);
    expect(html).toContain("Kubernetes v1.37.2, 4 nodes, StorageClass standard");
    expect(html).toContain("sts-conformance 0.1.0 (abc123)");
    expect(html).toContain('href="allure/index.html"');
  });

  test("guarantees × verdict: G2 before G10, each with its checks' worst verdict and its negative controls", () => {
    const html = summaryPage(run);
    const rows = [...html.matchAll(/<tr class="guarantee" data-id="([^"]+)" data-verdict="([^"]+)"/g)].map((m) => [
      m[1],
      m[2],
    ]);
    expect(rows).toEqual([
      ["G2", "BROKEN"],
      ["G3", "held"],
      ["G10", "held"],
      ["G23", "inconclusive"],
      ["expansion", "skipped"],
    ]);
    expect(html).toMatch(/data-id="G3"[^\n]*1 of 1 held[^\n]*v-flagged/);
  });

  test("a test's page: its verdict, the failure in full, its pictures inline and its texts folded", () => {
    const html = testPage(run, 2, [
      { name: "timeline picture", type: "image/svg+xml", content: '<svg class="timeline"><g class="lane"></g></svg>' },
      { name: "timeline", type: "text/plain", content: "  1 +0.1s ADDED Pod web-0 <x>" },
    ]);
    expect(html).toContain('<span class="verdict v-BROKEN">BROKEN</span>');
    expect(html).toContain("timeline around it: …");
    expect(html).toContain('<div class="picture"><svg class="timeline"><g class="lane"></g></svg></div>');
    expect(html).toContain(
      "<details><summary>timeline</summary><pre>  1 +0.1s ADDED Pod web-0 &lt;x&gt;</pre></details>",
    );
    expect(html).toContain("document.body.dataset.rendered");
  });
});
