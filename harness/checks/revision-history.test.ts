import { describe, expect, test } from "@jest/globals";
import { checkRevisionHistory, type SetRevision } from "./revision-history.js";

const revisions = (...numbers: number[]): SetRevision[] =>
  numbers.map((n) => ({ name: `web-r${n}`, revision: n, ownedBySet: true }));

describe("G33 revision history", () => {
  test("holds when the newest old revisions up to the limit are kept besides the live one", () => {
    expect(checkRevisionHistory(revisions(3, 4, 5), ["web-r5"], 2)).toEqual([]);
  });

  test("flags revisions kept beyond the limit, and old ones kept instead of newer", () => {
    expect(checkRevisionHistory(revisions(1, 2, 3, 4, 5), ["web-r5"], 2)).toHaveLength(1);
    expect(checkRevisionHistory(revisions(2, 4, 5), ["web-r5"], 2)[0]?.seen).toBe("old revisions 4, 2 (live: 5)");
  });

  test("flags a revision the set does not own", () => {
    const kept = [...revisions(4), { name: "stray", revision: 5, ownedBySet: false }];
    expect(checkRevisionHistory(kept, ["stray"], 1).map((v) => v.pod)).toEqual(["stray"]);
  });
});
