// A chaos run's recovery times as a picture (SVG): one bar per fault, its length the time from the
// fault (or its undo) to the set whole and writing again, its budget marked on it; over budget in
// red, skipped and unfinished faults named. Pure, like the timeline picture.
import { verdictOf, type IterationResult, type RunResult } from "../chaos/results.js";

const esc = (s: string) =>
  s.replace(/[<>&"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c] ?? c);
const round = (n: number) => Math.round(n * 10) / 10;
const colour = { held: "#2e9e5b", failed: "#d62728", budget: "#333333" };

const layout = { left: 230, width: 640, rowH: 20, top: 34 };

/** What a fault's row says beside its bar. */
function outcome(i: IterationResult): string {
  const v = verdictOf(i);
  if (v === "skipped") return `skipped: ${i.skipped ?? ""}`;
  if (v === "inconclusive" && i.error !== undefined) return `not finished: ${i.error}`;
  const times = `${(i.recoveryMs / 1000).toFixed(1)} s of ${(i.budgetMs / 1000).toFixed(0)} s`;
  return v === "failed" ? `${times}: ${i.problems.map((p) => p.text).join("; ")}` : times;
}

export function recoveryPicture(r: RunResult): string {
  const L = layout;
  const its = r.iterations;
  const scaleMs = Math.max(1000, ...its.flatMap((i) => [i.budgetMs, Number.isNaN(i.recoveryMs) ? 0 : i.recoveryMs]));
  const x = (ms: number) => round(L.left + (ms / scaleMs) * L.width);
  const height = L.top + Math.max(1, its.length) * L.rowH + 30;
  const width = L.left + L.width + 260;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="recovery" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>chaos seed ${r.seed}: recovery per fault against its budget</title>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="8" y="18" font-size="13" font-weight="bold">chaos seed ${r.seed}: recovery per fault against its budget</text>`,
  ];
  its.forEach((i, n) => {
    const y = L.top + n * L.rowH;
    const v = verdictOf(i);
    const drawn = v === "held" || v === "failed" || (v === "inconclusive" && i.error === undefined);
    parts.push(
      `<g class="fault ${v}" data-fault="${esc(i.fault)}">`,
      `<text x="8" y="${y + 13}">${esc(`#${i.iteration} ${i.fault} ${i.target}`)}</text>`,
      ...(drawn
        ? [
            `<rect class="recovered" x="${L.left}" y="${y + 3}" width="${Math.max(1, round(x(i.recoveryMs) - L.left))}" height="${L.rowH - 7}" fill="${i.recoveryMs > i.budgetMs ? colour.failed : colour.held}"/>`,
          ]
        : []),
      `<line class="budget" x1="${x(i.budgetMs)}" x2="${x(i.budgetMs)}" y1="${y + 1}" y2="${y + L.rowH - 2}" stroke="${colour.budget}" stroke-width="2"/>`,
      `<text x="${x(Math.max(i.budgetMs, drawn ? i.recoveryMs : 0)) + 6}" y="${y + 13}" fill="${v === "failed" ? colour.failed : "#333"}">${esc(outcome(i).slice(0, 60))}</text>`,
      `<title>${esc(outcome(i))}</title></g>`,
    );
  });
  const axisY = L.top + Math.max(1, its.length) * L.rowH + 4;
  parts.push(`<line x1="${L.left}" x2="${L.left + L.width}" y1="${axisY}" y2="${axisY}" stroke="#333"/>`);
  const stepS = [5, 10, 30, 60, 120, 300, 600].find((s) => scaleMs / 1000 / s <= 8) ?? 600;
  for (let s = 0; s * 1000 <= scaleMs; s += stepS)
    parts.push(`<text x="${x(s * 1000)}" y="${axisY + 14}" text-anchor="middle" font-size="9">${s} s</text>`);
  parts.push(`</svg>`);
  return parts.join("\n");
}
