import { describe, expect, test } from "@jest/globals";
import type * as k8s from "@kubernetes/client-node";
import { exclusiveTurn } from "./run-gate.js";

describe("exclusive turns", () => {
  test("oldest first, by a listed namespace's Date or a watched one's string alike; the name breaks ties", () => {
    const listed = { metadata: { name: "b", creationTimestamp: new Date("2026-11-24T01:00:00Z") } };
    const watched = {
      metadata: { name: "a", creationTimestamp: "2026-11-24T01:00:00Z" },
    } as unknown as k8s.V1Namespace;
    const later = { metadata: { name: "a", creationTimestamp: "2026-11-24T01:00:01Z" } } as unknown as k8s.V1Namespace;
    expect(exclusiveTurn(watched) < exclusiveTurn(listed)).toBe(true);
    expect(exclusiveTurn(listed) < exclusiveTurn(later)).toBe(true);
  });
});
