// The writer's ledger: every record acknowledged or failed, per member, against what the members'
// journals hold: the lost, the unseen, and the shape of a loss.
import type { CheckResult } from "../timeline/replay.js";
import type { Violation } from "../verdict/violation.js";

/**
 * What a writer learned of one member, folded as its log is read: the acknowledged records as
 * ranges of sequence numbers (a member's sequence only grows, so a run's acknowledgements are a
 * few ranges split by its outages, not one entry per record: memory does not grow with the run),
 * and its availability (time between successful writes).
 */
export interface MemberLedger {
  acked: Array<[from: number, to: number]>;
  ackCount: number;
  failCount: number;
  /** The highest sequence number folded: a line read twice (overlapping log reads) counts once. */
  lastSeq: number;
  /**
   * Sequence numbers below `lastSeq` with neither an ack nor a fail line read (a log line lost:
   * say, to a refollow after the kubelet rotated the log): whether those were acknowledged, and so
   * whether they are lost, is not known. Their count, and the first few ranges.
   */
  unseen: number;
  unseenRanges: Array<[from: number, to: number]>;
  /** Server time (ms) of the first and last acknowledgement. */
  firstAckMs?: number;
  lastAckMs?: number;
  /** The longest stretch without an acknowledged write, and when it ended (ms). */
  longestOutageMs: number;
  longestOutageEndedMs?: number;
}

/** Every member's ledger, by pod name. */
export type Ledger = Map<string, MemberLedger>;

const emptyMember = (): MemberLedger => ({
  acked: [],
  ackCount: 0,
  failCount: 0,
  lastSeq: 0,
  unseen: 0,
  unseenRanges: [],
  longestOutageMs: 0,
});

/** How many unseen ranges a member keeps for the report (the count is kept whole). */
const unseenRangesKept = 5;

/** One line of the writer's log read with the kubelet's timestamps, or undefined for any other line. */
export function parseWriterLine(
  line: string,
): { t: number; what: "ack" | "fail"; member: string; seq: number } | undefined {
  const m = /^(\S+) (ack|fail) (\S+) (\d+)$/.exec(line.trim());
  if (!m) return undefined;
  const [, stamp = "", what = "", member = "", seq = ""] = m;
  return { t: Date.parse(stamp), what: what === "ack" ? "ack" : "fail", member, seq: Number(seq) };
}

/**
 * Folds one line of the writer's log, read with the kubelet's timestamps
 * (`2026-11-24T10:00:00.123456789Z ack web-1 17`), into the ledger. Other lines, and lines already
 * folded, are ignored.
 */
export function foldWriterLine(ledger: Ledger, line: string): void {
  const parsed = parseWriterLine(line);
  if (!parsed) return;
  const { t, what, member, seq } = parsed;
  const l = ledger.get(member) ?? emptyMember();
  ledger.set(member, l);
  if (seq <= l.lastSeq) return;
  if (seq > l.lastSeq + 1) {
    // every attempt prints one line, numbered one after the other: the ones between were not read
    l.unseen += seq - l.lastSeq - 1;
    if (l.unseenRanges.length < unseenRangesKept) l.unseenRanges.push([l.lastSeq + 1, seq - 1]);
  }
  l.lastSeq = seq;
  if (what === "fail") {
    l.failCount++;
    return;
  }
  l.ackCount++;
  const last = l.acked.at(-1);
  if (last && last[1] + 1 === seq) last[1] = seq;
  else l.acked.push([seq, seq]);
  if (l.lastAckMs !== undefined && t - l.lastAckMs > l.longestOutageMs) {
    l.longestOutageMs = t - l.lastAckMs;
    l.longestOutageEndedMs = t;
  }
  l.firstAckMs ??= t;
  l.lastAckMs = t;
}

/** Parses a member's journal (one record per line) into sequence numbers; blank lines are skipped. */
export function parseJournal(text: string): number[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .map(Number);
}

/** Records found a second time, and records after a higher one (one pass: journals are long). */
function disorder(journal: number[]): { twice: number[]; backwards: number[] } {
  const seen = new Set<number>();
  const twice: number[] = [];
  const backwards: number[] = [];
  let previous = -Infinity;
  for (const seq of journal) {
    if (seen.has(seq)) twice.push(seq);
    else if (seq < previous) backwards.push(seq);
    seen.add(seq);
    previous = seq;
  }
  return { twice, backwards };
}

/** Whether `member` acknowledged `seq` (its ranges are few: a run's outages split them). */
const isAcknowledged = (l: MemberLedger, seq: number) => l.acked.some(([from, to]) => from <= seq && seq <= to);

/** The records `member` acknowledged that its journal does not hold. */
export function lostRecords(l: MemberLedger, journal: number[]): number[] {
  const present = new Set(journal);
  return l.acked.flatMap(([from, to]) =>
    Array.from({ length: to - from + 1 }, (_, i) => from + i).filter((seq) => !present.has(seq)),
  );
}

/**
 * Where a member's lost records lie among its acknowledged ones: the stretches of lost records with
 * no kept acknowledged record inside, and how many acknowledged records were kept before the first
 * stretch and after the last. A power cut of storage that acknowledged before fsync loses one
 * stretch per cut between kept records (the writes since the last fsync); lost storage, everything.
 */
export function lossShape(
  l: MemberLedger,
  journal: number[],
): { stretches: Array<[from: number, to: number]>; keptBefore: number; keptAfter: number } {
  const present = new Set(journal);
  const stretches: Array<[number, number]> = [];
  let keptBefore = 0;
  let keptAfter = 0;
  let open = false;
  for (const [from, to] of l.acked)
    for (let seq = from; seq <= to; seq++) {
      if (present.has(seq)) {
        open = false;
        if (stretches.length === 0) keptBefore++;
        else keptAfter++;
        continue;
      }
      const last = stretches.at(-1);
      if (open && last) last[1] = seq;
      else stretches.push([seq, seq]);
      open = true;
      keptAfter = 0;
    }
  return { stretches, keptBefore, keptAfter };
}

/** How many acknowledged records are missing, over every member. */
export function lostCount(ledger: Ledger, journals: Map<string, number[]>): number {
  return [...ledger].reduce((n, [member, l]) => n + lostRecords(l, journals.get(member) ?? []).length, 0);
}

const listed = (seqs: Array<number | string>, max = 5) =>
  seqs.slice(0, max).join(", ") + (seqs.length > max ? ` … (${seqs.length} in all)` : "");

/**
 * The workload's promise, the application's view of G9/G10: after whatever happened, each
 * member's volume holds every record it acknowledged (an acknowledgement comes after fsync), none
 * twice, in the order written. Records written but not acknowledged may or may not be there, and
 * may land late, out of order: a request whose client gave up (during a partition) is still
 * delivered by TCP once the network is back, after newer ones whose retransmission came sooner.
 * `journals` holds every member of the ledger; a member whose journal could not be read is the
 * caller's inconclusive, not a loss.
 */
export function checkNothingLost(ledger: Ledger, journals: Map<string, number[]>): CheckResult {
  const violations: Violation[] = [];
  for (const [member, l] of ledger) {
    const journal = journals.get(member) ?? [];
    const lost = lostRecords(l, journal);
    if (lost.length > 0)
      violations.push({
        guarantee: "G9",
        pod: member,
        expected: `every acknowledged record on ${member}'s volume (${l.ackCount} acknowledged)`,
        seen: `${lost.length} acknowledged record(s) missing: ${listed(lost)}`,
      });
    const { twice, backwards } = disorder(journal.filter((seq) => isAcknowledged(l, seq)));
    if (twice.length > 0)
      violations.push({
        guarantee: "G9",
        pod: member,
        expected: "each record once",
        seen: `record(s) written twice: ${listed(twice)}`,
      });
    if (backwards.length > 0)
      violations.push({
        guarantee: "G9",
        pod: member,
        expected: "records in the order written (sequence increasing)",
        seen: `record(s) after a higher one: ${listed(backwards)}`,
      });
  }
  return { violations, gaps: [] };
}

/** How many sequence numbers no line was read for, over every member (see MemberLedger.unseen). */
export const unseenCount = (ledger: Ledger): number => [...ledger.values()].reduce((n, l) => n + l.unseen, 0);

const ranges = (rs: Array<[number, number]>) => rs.map(([from, to]) => (from === to ? `${from}` : `${from}-${to}`));

/** One line per member: acknowledged, failed, unseen, longest stretch without a successful write. */
export function describeLedger(ledger: Ledger): string {
  return [...ledger]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([member, l]) => {
      const unseen =
        l.unseen > 0 ? `, ${l.unseen} unseen (neither ack nor fail read: ${listed(ranges(l.unseenRanges))})` : "";
      return `${member}: ${l.ackCount} acknowledged, ${l.failCount} failed${unseen}, longest without a write ${(l.longestOutageMs / 1000).toFixed(1)} s`;
    })
    .join("\n");
}
