// The HTML report's own pages, from summary.json and each test's attachments: a summary page
// (the target, counts, guarantees × verdict, negative controls, every test with its verdict and
// why) and a page per test with its timeline picture. Static and self-contained (inline CSS and
// SVG, no network); pure, so the unit tests and the browser check read the same markup.
import type { RunTarget } from "./run-properties.js";
import type { TestSummary, TestVerdict } from "./summary.js";

export interface RunSummary {
  schemaVersion?: number;
  tool?: { name: string; version: string; commit: string };
  runId?: string;
  target?: RunTarget;
  startedAt: string;
  exitCode: number;
  /** Why the run decided nothing (no check ran): its headline says so, never "held". */
  nothingDecided?: string;
  counts: { held: number; broken: number; inconclusive: number; skipped: number };
  tests: TestSummary[];
}

/** What a test page shows of one attachment: a picture inline, text as text. */
export interface ShownAttachment {
  name: string;
  type: string;
  content: string;
}

export const esc = (s: string): string =>
  s.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The page of the test at `index` (its place in summary.json), relative to the summary page. */
export const testPagePath = (index: number): string => `tests/${String(index + 1).padStart(4, "0")}.html`;

const style = `
body { font-family: sans-serif; margin: 24px; color: #222; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
table { border-collapse: collapse; font-size: 13px; }
td, th { border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }
.verdict { font-weight: bold; padding: 1px 6px; border-radius: 3px; color: #fff; white-space: nowrap; }
.v-held, .v-flagged { background: #2e9e5b; } .v-BROKEN, .v-MISSED { background: #d62728; }
.v-inconclusive { background: #e69f00; } .v-skipped { background: #8a8a8a; }
.why { color: #555; max-width: 700px; } pre { background: #f6f6f6; padding: 8px; overflow-x: auto; font-size: 12px; }
.meta { color: #555; font-size: 13px; } .counts span { margin-right: 14px; }
`;

const badge = (v: TestVerdict | string) => `<span class="verdict v-${esc(v)}">${esc(v)}</span>`;

/** What a test checks: its guarantees, else its storage capabilities; none: the suite itself. */
const checksOf = (t: TestSummary) => (t.guarantees.length > 0 ? t.guarantees : t.capabilities);

const page = (title: string, body: string, script = "") =>
  `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${style}</style></head>\n<body>\n${body}\n${script}</body></html>\n`;

/** The worst verdict among a guarantee's checks: BROKEN over inconclusive over held over skipped. */
function worst(verdicts: TestVerdict[]): TestVerdict {
  for (const v of ["BROKEN", "inconclusive", "held"] as const) if (verdicts.includes(v)) return v;
  return "skipped";
}

/** Guarantee (or capability) ids in their natural order: G2 before G10, capabilities after. */
const byId = (a: string, b: string) => {
  const n = (s: string) => (/^G(\d+)$/.exec(s) ? Number(s.slice(1)) : Infinity);
  return n(a) - n(b) || a.localeCompare(b);
};

export function summaryPage(run: RunSummary, allureLink?: string): string {
  const t = run.target;
  const target = t
    ? `Kubernetes ${esc(t.kubernetesVersion)}, ${t.nodes} nodes, StorageClass ${esc(t.storageClass)} (${esc(t.server)})`
    : "target not recorded";
  const tool = run.tool ? `${esc(run.tool.name)} ${esc(run.tool.version)} (${esc(run.tool.commit)})` : "";
  const ids = [...new Set(run.tests.flatMap(checksOf))].sort(byId);
  const guaranteeRows = ids.map((id) => {
    const of = run.tests.filter((x) => checksOf(x).includes(id));
    const checks = of.filter((x) => !x.negativeControl);
    const controls = of.filter((x) => x.negativeControl);
    const held = checks.filter((x) => x.verdict === "held").length;
    const controlText = controls.length
      ? controls.map((c) => badge(c.verdict)).join(" ")
      : `<span class="why">none</span>`;
    const time = of.reduce((a, x) => a + x.durationMs, 0);
    return `<tr class="guarantee" data-id="${esc(id)}" data-verdict="${worst(checks.map((x) => x.verdict))}"><td>${esc(id)}</td><td>${checks.length ? badge(worst(checks.map((x) => x.verdict))) : ""}</td><td>${held} of ${checks.length} held</td><td>${controlText}</td><td>${seconds(time)}</td></tr>`;
  });
  const testRows = run.tests.map((x, i) => {
    const why =
      x.verdict === "skipped" ? x.skipReason : x.verdict === "held" || x.verdict === "flagged" ? "" : x.failure;
    return `<tr class="test" data-verdict="${esc(x.verdict)}"><td>${badge(x.verdict)}</td><td>${esc(checksOf(x).join(" ") || "suite")}</td><td>${x.negativeControl ? "control" : "check"}</td><td><a class="name" href="${testPagePath(i)}">${esc(x.name)}</a></td><td>${seconds(x.durationMs)}</td><td class="why">${esc(why ?? "")}</td></tr>`;
  });
  const c = run.counts;
  const body = `
<h1>sts-conformance: ${c.broken > 0 ? "BROKEN" : c.inconclusive > 0 ? "inconclusive" : run.nothingDecided ? "nothing decided" : "held"}</h1>
${run.nothingDecided ? `<p class="why" id="nothing-decided">${esc(run.nothingDecided)}</p>` : ""}
<p class="meta">${target}<br>run ${esc(run.runId ?? "")} started ${esc(run.startedAt)}; exit code ${run.exitCode}${tool ? `; ${tool}` : ""}${allureLink ? `<br><a href="${esc(allureLink)}">steps, attachments and logs of every test (Allure)</a>` : ""}</p>
<p class="counts" id="counts"><span>${badge("held")} ${c.held}</span><span>${badge("BROKEN")} ${c.broken}</span><span>${badge("inconclusive")} ${c.inconclusive}</span><span>${badge("skipped")} ${c.skipped}</span></p>
<h2>Guarantees</h2>
<table id="guarantees"><tr><th>checks</th><th>verdict</th><th>checks held</th><th>negative controls</th><th>time</th></tr>
${guaranteeRows.join("\n")}
</table>
<h2>Tests</h2>
<table id="tests"><tr><th>verdict</th><th>checks</th><th>kind</th><th>test</th><th>time</th><th>why</th></tr>
${testRows.join("\n")}
</table>`;
  return page("sts-conformance report", body);
}

/**
 * Run in the browser when a test page loads: counts what of its pictures was laid out (lanes,
 * bars, marks and violations with a size), on the body, where a headless browser's DOM dump shows it.
 */
const renderedScript = `<script>
addEventListener("load", () => {
  const sized = (sel) => [...document.querySelectorAll(sel)].filter((e) => { const b = e.getBBox(); return b.width > 0 && b.height > 0; }).length;
  document.body.dataset.rendered = JSON.stringify({
    pictures: sized("svg.timeline, svg.recovery"),
    lanes: sized("svg.timeline g.lane"), bars: sized("svg.timeline rect.bar"),
    marks: sized("svg.timeline g.mark"), violations: sized("svg.timeline g.violation"),
    moments: sized("svg.timeline g.violation:has(line.moment)"),
  });
});
</script>
`;

export function testPage(run: RunSummary, index: number, attachments: ShownAttachment[]): string {
  const t = run.tests[index] as TestSummary;
  const pictures = attachments.filter((a) => a.type === "image/svg+xml");
  const texts = attachments.filter((a) => a.type !== "image/svg+xml");
  const why = t.verdict === "skipped" ? t.skipReason : t.failureText;
  const body = `
<p><a href="../index.html">← all tests</a></p>
<h1>${badge(t.verdict)} ${esc(t.name)}</h1>
<p class="meta">${esc(t.file)}; ${seconds(t.durationMs)}; checks ${esc(checksOf(t).join(" ") || "the suite itself")}${t.negativeControl ? " (negative control: a fixture broken on purpose, which the check must flag)" : ""}</p>
${why ? `<pre class="failure">${esc(why)}</pre>` : ""}
${pictures.map((p) => `<h2>${esc(p.name)}</h2>\n<div class="picture">${p.content}</div>`).join("\n")}
${texts.map((a) => `<details><summary>${esc(a.name)}</summary><pre>${esc(a.content)}</pre></details>`).join("\n")}`;
  return page(t.name, body, renderedScript);
}
