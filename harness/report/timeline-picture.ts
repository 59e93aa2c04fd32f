// A scenario's recorded timeline as a picture (SVG), for the report: one lane per member, its pods'
// lifetimes as bars coloured by state with the revision they were made from, the suite's actions
// and faults as labelled marks, watch gaps shaded, and each violation in red at its moment.
// Pure: entries in, markup out; the browser check and the unit tests read the same classes.
import { ordinalOf } from "../statefulset/naming.js";
import type { PodSnapshot, TimelineEntry } from "../timeline/entry.js";
import type { Violation } from "../verdict/violation.js";

export type PodState = "pending" | "running" | "ready" | "terminating" | "stopped";

/** The colours of a pod's states (the legend shows them), and of the marks. */
export const palette: Record<PodState | "mark" | "gap" | "violation", string> = {
  pending: "#f2c94c",
  running: "#56a0d3",
  ready: "#2e9e5b",
  terminating: "#9b59b6",
  stopped: "#9e9e9e",
  mark: "#444444",
  gap: "#e0e0e0",
  violation: "#d62728",
};

export function podState(p: PodSnapshot): PodState {
  if (p.terminating) return "terminating";
  if (p.ready) return "ready";
  if (p.phase === "Running") return "running";
  if (p.phase === "Succeeded" || p.phase === "Failed") return "stopped";
  return "pending";
}

/** A stretch of one pod in one state. */
export interface Bar {
  lane: number;
  pod: string;
  uid: string;
  state: PodState;
  revision?: string;
  fromMs: number;
  toMs: number;
}

/** A pod's bars, lane by lane: each snapshot's state lasts until the pod's next snapshot, its deletion or the end. */
export function barsOf(entries: TimelineEntry[], set: string): Bar[] {
  const end = entries.at(-1)?.t ?? 0;
  const open = new Map<string, Bar>(); // by uid
  const bars: Bar[] = [];
  const close = (uid: string, at: number) => {
    const b = open.get(uid);
    if (!b) return;
    bars.push({ ...b, toMs: Math.max(at, b.fromMs) });
    open.delete(uid);
  };
  for (const e of entries) {
    if (e.kind === "Pod" && e.type === "RELIST") {
      // pods the fresh list no longer holds went in the gap: their bars end there
      const listed = new Set(e.listed ?? []);
      for (const [uid, b] of open) if (!listed.has(b.pod)) close(uid, e.t);
      continue;
    }
    const p = e.pod;
    if (e.kind !== "Pod" || !p) continue;
    const lane = ordinalOf(set, p.name);
    if (lane === undefined) continue;
    close(p.uid, e.t);
    if (e.type === "DELETED") continue;
    open.set(p.uid, {
      lane,
      pod: p.name,
      uid: p.uid,
      state: podState(p),
      ...(p.revision ? { revision: p.revision } : {}),
      fromMs: e.t,
      toMs: end,
    });
  }
  for (const uid of [...open.keys()]) close(uid, end);
  // a pod seen twice in the same state is one bar
  return bars.reduce<Bar[]>((merged, b) => {
    const last = merged.findLast((m) => m.uid === b.uid);
    if (last && last.state === b.state && last.revision === b.revision && last.toMs === b.fromMs) last.toMs = b.toMs;
    else merged.push({ ...b });
    return merged;
  }, []);
}

/** A stretch the watch did not see: from the stream's last entry before a re-list (or its error) to the re-list. */
export function gapsOf(entries: TimelineEntry[]): { fromMs: number; toMs: number; kind: string }[] {
  return entries
    .filter((e) => e.type === "RELIST")
    .map((r) => {
      const before = entries.filter((e) => e.kind === r.kind && e.seq < r.seq && e.type !== "ERROR").at(-1);
      return { fromMs: before?.t ?? 0, toMs: r.t, kind: r.kind };
    });
}

export interface PictureInput {
  entries: TimelineEntry[];
  set: string;
  title: string;
  violations?: Violation[];
}

const esc = (s: string) =>
  s.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const round = (n: number) => Math.round(n * 10) / 10;

/** Tick spacing (seconds) giving about eight ticks over `spanS`. */
function tickStep(spanS: number): number {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600];
  return steps.find((s) => spanS / s <= 8) ?? 3600;
}

const layout = { left: 110, width: 900, laneH: 26, markRows: 4, rowH: 13, top: 34, legendH: 22 };

/** Where everything of one picture goes: the time axis and the rows, from its input. */
function frameOf(input: PictureInput, lanes: number[]) {
  const { entries } = input;
  const violations = input.violations ?? [];
  const spanMs = Math.max(1000, entries.at(-1)?.t ?? 0);
  const L = layout;
  const marksTop = L.top;
  const lanesTop = marksTop + L.markRows * L.rowH + 8;
  const lanesBottom = lanesTop + Math.max(1, lanes.length) * L.laneH;
  const axisY = lanesBottom + 4;
  const violationsTop = axisY + 22;
  const legendY = violationsTop + Math.max(1, violations.length) * L.rowH + 10;
  return {
    spanMs,
    x: (ms: number) => round(L.left + (ms / spanMs) * L.width),
    laneY: (lane: number) => lanesTop + lanes.indexOf(lane) * L.laneH,
    tAt: (seq: number) => entries.find((e) => e.seq === seq)?.t ?? 0,
    marksTop,
    lanesTop,
    lanesBottom,
    axisY,
    violationsTop,
    legendY,
    height: legendY + L.legendH,
    totalW: L.left + L.width + 20,
  };
}

type Frame = ReturnType<typeof frameOf>;

/** A lane per member: its pods' states as bars, each pod's uid and revision written once on them. */
function drawLanes(f: Frame, bars: Bar[], lanes: number[], set: string): string[] {
  const L = layout;
  const parts: string[] = [];
  for (const lane of lanes) {
    const y = f.laneY(lane);
    parts.push(
      `<g class="lane" data-member="${esc(`${set}-${lane}`)}">`,
      `<text x="8" y="${y + 16}">${esc(cut(`${set}-${lane}`, 16))}</text>`,
      `<line x1="${L.left}" x2="${L.left + L.width}" y1="${y + L.laneH - 2}" y2="${y + L.laneH - 2}" stroke="#eee"/>`,
    );
    let lastLabel: string | undefined;
    for (const b of bars.filter((b) => b.lane === lane)) {
      const w = Math.max(1, round(f.x(b.toMs) - f.x(b.fromMs)));
      const tip = `${b.pod} uid ${b.uid.slice(0, 8)} ${b.state}${b.revision ? ` rev ${b.revision}` : ""}: +${(b.fromMs / 1000).toFixed(1)} s to +${(b.toMs / 1000).toFixed(1)} s`;
      parts.push(
        `<rect class="bar ${b.state}" data-uid="${esc(b.uid)}" x="${f.x(b.fromMs)}" y="${y + 4}" width="${w}" height="${L.laneH - 10}" fill="${palette[b.state]}"><title>${esc(tip)}</title></rect>`,
      );
      // the revision (and which pod) once per pod and revision, where a bar is wide enough
      const label = `${b.uid.slice(0, 5)}${b.revision ? ` ${b.revision.replace(`${set}-`, "")}` : ""}`;
      if (label !== lastLabel && w > 40) {
        parts.push(
          `<text class="revision" x="${f.x(b.fromMs) + 3}" y="${y + 16}" fill="#fff" font-size="9">${esc(cut(label, Math.floor(w / 5.5)))}</text>`,
        );
        lastLabel = label;
      }
    }
    parts.push(`</g>`);
  }
  return parts;
}

/** The watch's gaps, shaded over the bars: what the watch did not see hides what they show. */
const drawGaps = (f: Frame, entries: TimelineEntry[]): string[] =>
  gapsOf(entries).map(
    (g) =>
      `<rect class="gap" x="${f.x(g.fromMs)}" y="${f.lanesTop - 4}" width="${Math.max(2, round(f.x(g.toMs) - f.x(g.fromMs)))}" height="${f.lanesBottom - f.lanesTop + 8}" fill="${palette.gap}" fill-opacity="0.75" stroke="#777" stroke-dasharray="3 2"><title>watch gap (${esc(g.kind)}): ${((g.toMs - g.fromMs) / 1000).toFixed(1)} s not seen</title></rect>`,
  );

/** The suite's actions and faults, as labelled dashed marks in rows above the lanes. */
function drawMarks(f: Frame, entries: TimelineEntry[]): string[] {
  const L = layout;
  const marks = entries.filter((e) => e.kind === "Action" && e.type === "MARK");
  return marks.flatMap((m, i) => {
    const row = i % L.markRows;
    const mx = f.x(m.t);
    const nearEnd = mx > L.left + (L.width * 2) / 3;
    const text = m.detail ?? "";
    return [
      `<g class="mark"><line x1="${mx}" x2="${mx}" y1="${f.marksTop + row * L.rowH + 3}" y2="${f.lanesBottom}" stroke="${palette.mark}" stroke-dasharray="2 2"/>`,
      // a mark in the right third is labelled to its left, so the label stays in the picture
      `<text x="${nearEnd ? mx - 2 : mx + 2}" y="${f.marksTop + row * L.rowH + 10}"${nearEnd ? ' text-anchor="end"' : ""} font-size="9" fill="${palette.mark}">${esc(cut(text, 48))}</text><title>+${(m.t / 1000).toFixed(1)} s ${esc(text)}</title></g>`,
    ];
  });
}

/** The time axis, ticked in seconds. */
function drawAxis(f: Frame): string[] {
  const L = layout;
  const parts: string[] = [];
  const step = tickStep(f.spanMs / 1000);
  for (let s = 0; s * 1000 <= f.spanMs; s += step)
    parts.push(
      `<line x1="${f.x(s * 1000)}" x2="${f.x(s * 1000)}" y1="${f.axisY}" y2="${f.axisY + 4}" stroke="#333"/>`,
      `<text x="${f.x(s * 1000)}" y="${f.axisY + 15}" text-anchor="middle" font-size="9">${s} s</text>`,
    );
  parts.push(`<line x1="${L.left}" x2="${L.left + L.width}" y1="${f.axisY}" y2="${f.axisY}" stroke="#333"/>`);
  return parts;
}

/**
 * Each violation, in red: one seen in the timeline drawn at its moment, its pod circled; one read
 * from the pods (an exec, a lookup) has no moment in it, and is listed only.
 */
function drawViolations(f: Frame, violations: Violation[], lanes: number[], set: string): string[] {
  const L = layout;
  return violations.flatMap((v, i) => {
    const row = `<text x="8" y="${f.violationsTop + i * L.rowH + 10}" fill="${palette.violation}" font-weight="bold">`;
    const g = `<g class="violation" data-guarantee="${esc(v.guarantee)}">`;
    if (v.seq === undefined) {
      const text = `${v.guarantee} broken for ${v.pod}: expected ${v.expected}; seen ${v.seen} (read from the pod, not a moment of the timeline)`;
      return [`${g}${row}${esc(cut(text, 180))}</text><title>${esc(text)}</title></g>`];
    }
    const vx = f.x(f.tAt(v.seq));
    const lane = ordinalOf(set, v.pod);
    const dot = lane !== undefined && lanes.includes(lane) ? f.laneY(lane) + L.laneH / 2 - 1 : undefined;
    const text = `${v.guarantee} broken at +${(f.tAt(v.seq) / 1000).toFixed(1)} s for ${v.pod}: expected ${v.expected}; seen ${v.seen}`;
    return [
      `${g}<line class="moment" x1="${vx}" x2="${vx}" y1="${f.lanesTop - 4}" y2="${f.axisY}" stroke="${palette.violation}" stroke-width="2"/>`,
      ...(dot !== undefined
        ? [`<circle cx="${vx}" cy="${dot}" r="5" fill="none" stroke="${palette.violation}" stroke-width="2"/>`]
        : []),
      `${row}${esc(cut(text, 180))}</text><title>${esc(text)}</title></g>`,
    ];
  });
}

/** What each colour means. */
function drawLegend(f: Frame): string[] {
  const legend: [string, string][] = [
    ...(["pending", "running", "ready", "terminating", "stopped"] as const).map((s): [string, string] => [
      s,
      palette[s],
    ]),
    ["watch gap", palette.gap],
    ["violation", palette.violation],
  ];
  return legend.flatMap(([name, colour], i) => {
    const lx = layout.left + i * 105;
    return [
      `<rect x="${lx}" y="${f.legendY}" width="12" height="12" fill="${colour}"/>`,
      `<text x="${lx + 16}" y="${f.legendY + 10}">${name}</text>`,
    ];
  });
}

/** The picture of a scenario's timeline. */
export function timelinePicture(input: PictureInput): string {
  const { entries, set, title } = input;
  const bars = barsOf(entries, set);
  const lanes = [...new Set(bars.map((b) => b.lane))].sort((a, b) => a - b);
  const f = frameOf(input, lanes);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="${f.totalW}" height="${f.height}" viewBox="0 0 ${f.totalW} ${f.height}" font-family="sans-serif" font-size="11">`,
    `<title>${esc(title)}</title>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="8" y="18" font-size="13" font-weight="bold">${esc(cut(title, 150))}</text>`,
    ...drawLanes(f, bars, lanes, set),
    ...drawGaps(f, entries),
    ...drawMarks(f, entries),
    ...drawAxis(f),
    ...drawViolations(f, input.violations ?? [], lanes, set),
    ...drawLegend(f),
    `</svg>`,
  ].join("\n");
}
