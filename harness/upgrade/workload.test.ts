import { expect, test } from "@jest/globals";
import { logIsWhole, writerNode } from "./workload.js";

test("a writer's log is whole while it still holds every member's first record", () => {
  const line = (what: string, member: string, seq: number) => `2026-12-05T13:00:00.000000000Z ${what} ${member} ${seq}`;
  expect(logIsWhole([line("ack", "web-0", 1), line("fail", "web-1", 1), line("ack", "web-0", 2)])).toBe(true);
  expect(logIsWhole([line("ack", "web-0", 1), line("ack", "web-1", 40)])).toBe(false); // rotated
  expect(logIsWhole([])).toBe(false);
});

test("the writer goes to a node without members, else to the one with fewest, by name among equals", () => {
  expect(writerNode(["cp", "w1", "w2", "w3"], ["cp", "w1", "w2", "cp", "w1", "w2"])).toBe("w3");
  expect(writerNode(["w2", "w1"], ["w1", "w2", "w2"])).toBe("w1"); // both hold members: the fewer
  expect(writerNode(["b", "a"], [])).toBe("a");
  expect(writerNode([], ["a"])).toBeUndefined();
});
