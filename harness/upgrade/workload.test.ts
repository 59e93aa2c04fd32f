import { expect, test } from "@jest/globals";
import { logIsWhole } from "./workload.js";

test("a writer's log is whole while it still holds every member's first record", () => {
  const line = (what: string, member: string, seq: number) => `2026-12-05T13:00:00.000000000Z ${what} ${member} ${seq}`;
  expect(logIsWhole([line("ack", "web-0", 1), line("fail", "web-1", 1), line("ack", "web-0", 2)])).toBe(true);
  expect(logIsWhole([line("ack", "web-0", 1), line("ack", "web-1", 40)])).toBe(false); // rotated
  expect(logIsWhole([])).toBe(false);
});
