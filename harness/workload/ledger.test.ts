import { describe, expect, test } from "@jest/globals";
import {
  checkNothingLost,
  describeLedger,
  foldWriterLine,
  lossShape,
  lostCount,
  parseJournal,
  unseenCount,
  type Ledger,
} from "./ledger.js";

const fold = (lines: string[]): Ledger => {
  const ledger: Ledger = new Map();
  lines.forEach((l) => foldWriterLine(ledger, l));
  return ledger;
};
const at = (s: number, what: string, member: string, seq: number) =>
  `2026-11-24T10:00:${String(s).padStart(2, "0")}.000000000Z ${what} ${member} ${seq}`;

describe("the workload's ledger and its check (nothing acknowledged lost)", () => {
  const log = [
    at(0, "ack", "web-0", 1),
    at(1, "ack", "web-0", 2),
    at(2, "fail", "web-0", 3),
    at(9, "ack", "web-0", 4),
    "an unrelated line",
    at(1, "ack", "web-0", 2),
    at(9, "ack", "web-1", 1),
  ];

  test("folds acknowledgements into ranges and measures the longest stretch without a write", () => {
    const l = fold(log).get("web-0");
    expect(l?.acked).toEqual([
      [1, 2],
      [4, 4],
    ]);
    expect([l?.ackCount, l?.failCount, l?.longestOutageMs]).toEqual([3, 1, 8000]);
    expect(describeLedger(fold(log))).toContain("web-0: 3 acknowledged, 1 failed, longest without a write 8.0 s");
  });

  test("holds when every acknowledged record is there; an unacknowledged one may be there or not", () => {
    const journals = new Map([
      ["web-0", parseJournal("1\n2\n3\n4\n")],
      ["web-1", parseJournal("1\n")],
    ]);
    expect(checkNothingLost(fold(log), journals).violations).toEqual([]);
    journals.set("web-0", [1, 2, 4]);
    expect(checkNothingLost(fold(log), journals).violations).toEqual([]);
  });

  test("flags acknowledged records missing (a volume that was not kept)", () => {
    const v = checkNothingLost(
      fold(log),
      new Map([
        ["web-0", [4]],
        ["web-1", [1]],
      ]),
    ).violations;
    expect(v.map((x) => `${x.pod}: ${x.seen}`)).toEqual(["web-0: 2 acknowledged record(s) missing: 1, 2"]);
    expect(
      lostCount(
        fold(log),
        new Map([
          ["web-0", [4]],
          ["web-1", []],
        ]),
      ),
    ).toBe(3);
  });

  test("flags an acknowledged record twice and one out of order", () => {
    const v = checkNothingLost(
      fold(log),
      new Map([
        ["web-0", [2, 1, 2, 4]],
        ["web-1", [1]],
      ]),
    ).violations;
    expect(v.map((x) => x.seen)).toEqual(["record(s) written twice: 2", "record(s) after a higher one: 1"]);
  });

  test("a record never acknowledged may land late (its client gave up; TCP delivered it after the partition)", () => {
    const late = new Map([
      ["web-0", [1, 2, 4, 3]],
      ["web-1", [1]],
    ]);
    expect(checkNothingLost(fold(log), late)).toEqual({ violations: [], gaps: [] });
  });

  test("a sequence number with neither an ack nor a fail line read is counted unseen", () => {
    const ledger = fold([
      at(0, "ack", "web-0", 1),
      at(1, "ack", "web-0", 4),
      at(2, "fail", "web-0", 5),
      at(3, "ack", "web-0", 9),
    ]);
    const l = ledger.get("web-0");
    expect([l?.unseen, l?.unseenRanges]).toEqual([
      5,
      [
        [2, 3],
        [6, 8],
      ],
    ]);
    expect(unseenCount(ledger)).toBe(5);
    expect(describeLedger(ledger)).toContain(
      "web-0: 3 acknowledged, 1 failed, 5 unseen (neither ack nor fail read: 2-3, 6-8)",
    );
    expect(unseenCount(fold([at(0, "ack", "web-0", 1), at(1, "ack", "web-0", 2), at(1, "ack", "web-0", 2)]))).toBe(0);
  });

  test("tells a lost tail (one stretch between kept records per power cut) from a lost journal", () => {
    const acks = (seqs: number[]) => fold(seqs.map((seq, i) => at(i % 60, "ack", "web-0", seq))).get("web-0");
    const l = acks([1, 2, 3, 4, 5, 6, 8, 9, 10]); // 7 failed: no line, it splits the ranges
    if (!l) throw new Error("no ledger");
    expect(lossShape(l, [1, 2, 3, 9, 10])).toEqual({ stretches: [[4, 8]], keptBefore: 3, keptAfter: 2 });
    expect(lossShape(l, [1, 2, 5, 6, 10])).toEqual({
      stretches: [
        [3, 4],
        [8, 9],
      ],
      keptBefore: 2,
      keptAfter: 1,
    });
    expect(lossShape(l, [])).toEqual({ stretches: [[1, 10]], keptBefore: 0, keptAfter: 0 });
    expect(lossShape(l, [1, 2, 3, 4, 5, 6, 8, 9, 10])).toEqual({ stretches: [], keptBefore: 9, keptAfter: 0 });
  });
});
