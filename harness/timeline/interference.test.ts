import { describe, expect, test } from "@jest/globals";
import type { PodSnapshot, TimelineEntry } from "./entry.js";
import { outsideDeletions } from "./interference.js";

let seq = 0;
const pod = (type: TimelineEntry["type"], name: string, terminating = false): TimelineEntry => {
  const snapshot: PodSnapshot = { name, uid: name, phase: "Running", ready: !terminating, terminating } as PodSnapshot;
  return { seq: seq++, t: seq * 100, kind: "Pod", type, name, pod: snapshot };
};
const mark = (detail: string, deletes?: string[] | "all"): TimelineEntry => ({
  seq: seq++,
  t: seq * 100,
  kind: "Action",
  type: "MARK",
  name: ">>>",
  detail,
  ...(deletes ? { deletes } : {}),
});
const event = (
  reason: string,
  object: string,
  message: string,
  repeat?: { name: string; count: number },
): TimelineEntry => ({
  seq: seq++,
  t: seq * 100,
  kind: "Event",
  type: repeat && repeat.count > 1 ? "MODIFIED" : "ADDED",
  name: repeat?.name ?? object,
  event: { reason, object, message, count: repeat?.count ?? 1 },
});
const running = () => [pod("ADDED", "web-0"), pod("ADDED", "web-1"), pod("ADDED", "web-2")];

describe("outside deletions", () => {
  test("a pod deleted with no action and no controller event is someone else's doing", () => {
    const found = outsideDeletions(
      [...running(), pod("MODIFIED", "web-0", true), pod("DELETED", "web-0", true)],
      "web",
    );
    expect(found.map((d) => d.pod)).toEqual(["web-0"]);
  });

  test("the suite's own deletion, and the controller's (its event may come later), are explained", () => {
    const entries = [
      ...running(),
      mark("delete pod web-1", ["web-1"]),
      pod("MODIFIED", "web-1", true),
      pod("MODIFIED", "web-2", true),
      event("SuccessfulDelete", "StatefulSet/web", "delete Pod web-2 in StatefulSet web successful"),
    ];
    expect(outsideDeletions(entries, "web")).toEqual([]);
  });

  test("an explanation counts once: a second deletion of the same pod is outside", () => {
    const entries = [
      ...running(),
      mark("delete pod web-1", ["web-1"]),
      pod("MODIFIED", "web-1", true),
      pod("DELETED", "web-1", true),
      pod("ADDED", "web-1"),
      pod("MODIFIED", "web-1", true),
    ];
    expect(outsideDeletions(entries, "web").map((d) => d.pod)).toEqual(["web-1"]);
  });

  test("deleting the set explains every deletion after it; pods of other sets do not count", () => {
    const entries = [
      ...running(),
      pod("ADDED", "other-0"),
      pod("DELETED", "other-0"),
      mark("delete set web (Background)", "all"),
      pod("DELETED", "web-0"),
      pod("DELETED", "web-1"),
    ];
    expect(outsideDeletions(entries, "web")).toEqual([]);
  });

  test("a repeated controller event (one Event, its count bumped) explains each deletion it counts", () => {
    const message = "delete Pod web-1 in StatefulSet web successful";
    const deleteTwice = [
      ...running(),
      pod("MODIFIED", "web-1", true),
      pod("DELETED", "web-1", true),
      pod("ADDED", "web-1"),
      pod("MODIFIED", "web-1", true),
    ];
    const once = event("SuccessfulDelete", "StatefulSet/web", message, { name: "web.1", count: 1 });
    const again = event("SuccessfulDelete", "StatefulSet/web", message, { name: "web.1", count: 2 });
    expect(outsideDeletions([...deleteTwice, once, again], "web")).toEqual([]);
    expect(outsideDeletions([...deleteTwice, once], "web").map((d) => d.pod)).toEqual(["web-1"]);
    // the same count seen twice (a re-list) credits nothing more
    expect(outsideDeletions([...deleteTwice, once, { ...once, seq: seq++ }], "web").map((d) => d.pod)).toEqual([
      "web-1",
    ]);
  });
});
