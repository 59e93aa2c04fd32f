import { describe, expect, test } from "@jest/globals";
import type { TimelineEntry } from "../timeline/entry.js";
import { checkNotReplacedWhileUnreachable, checkReplacedOutOfService } from "./node-loss.js";

const at = (seq: number, type: TimelineEntry["type"], uid: string, terminating = false): TimelineEntry => ({
  seq,
  t: seq,
  kind: "Pod",
  type,
  name: "web-1",
  resourceVersion: String(seq),
  pod: { name: "web-1", uid, phase: "Running", ready: !terminating, terminating },
});

describe("G23 at most one pod per identity under node loss", () => {
  test("holds while the pod only turns Terminating; a replacement after the window is fine", () => {
    const t = [at(0, "LISTED", "a"), at(1, "MODIFIED", "a", true), at(2, "DELETED", "a", true), at(3, "ADDED", "b")];
    expect(checkNotReplacedWhileUnreachable(t, "web-1", 0, 2)).toEqual({ violations: [], gaps: [] });
  });

  test("flags the pod removed and a new one created while the node is unreachable (a force delete)", () => {
    const t = [at(0, "LISTED", "a"), at(1, "DELETED", "a", true), at(2, "ADDED", "b"), at(3, "MODIFIED", "b")];
    const v = checkNotReplacedWhileUnreachable(t, "web-1", 0, 4).violations;
    expect(v.map((x) => x.seen)).toEqual([
      "web-1 removed (uid a) without its kubelet's confirmation",
      "a new web-1 (uid b) created while the old one may still run",
    ]);
  });
});

describe("G24 replaced once the node is out of service", () => {
  test("holds when the old pod is removed and then created again", () => {
    const t = [at(0, "LISTED", "a"), at(1, "MODIFIED", "a", true), at(2, "DELETED", "a", true), at(3, "ADDED", "b")];
    expect(checkReplacedOutOfService(t, "web-1", 0, 4)).toEqual({ violations: [], gaps: [] });
  });

  test("flags a pod never removed (the control plane still waits), and one removed but never created", () => {
    const waits = [at(0, "LISTED", "a"), at(1, "MODIFIED", "a", true)];
    expect(checkReplacedOutOfService(waits, "web-1", 0, 2).violations.map((v) => v.seen)).toEqual([
      "web-1 never removed: the control plane still waits for its node",
    ]);
    const gone = [at(0, "LISTED", "a"), at(1, "DELETED", "a", true)];
    expect(checkReplacedOutOfService(gone, "web-1", 0, 2).violations.map((v) => v.seen)).toEqual([
      "web-1 removed (uid a) but not created again",
    ]);
  });
});
