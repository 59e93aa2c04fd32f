import { describe, expect, test } from "@jest/globals";
import type * as k8s from "@kubernetes/client-node";
import { reached } from "./reached.js";

const obj = (name: string, uid: string, version: number): k8s.KubernetesObject => ({
  metadata: { namespace: "ns", name, uid, resourceVersion: String(version) },
});
const list = (version: number, ...items: k8s.KubernetesObject[]) => ({ items, version: String(version) });

describe("a watch reaching a fresh list", () => {
  test("the same objects at the same versions: reached", () => {
    expect(reached([obj("web-0", "a", 10)], "10", list(20, obj("web-0", "a", 10)))).toBe(true);
  });

  test("an object the list shows that has not arrived yet (a lagging API server): not reached", () => {
    expect(reached([], "5", list(20, obj("web-0", "a", 10)))).toBe(false);
  });

  test("an older version of a listed object: not reached; a newer one: reached", () => {
    expect(reached([obj("web-0", "a", 9)], "9", list(20, obj("web-0", "a", 10)))).toBe(false);
    expect(reached([obj("web-0", "a", 25)], "25", list(20, obj("web-0", "a", 10)))).toBe(true);
  });

  test("a listed object deleted since: reached once its deletion (a later version) was seen", () => {
    expect(reached([], "22", list(20, obj("data-web-0", "a", 10)))).toBe(true);
  });

  test("an object the list no longer has: not reached until its deletion arrives", () => {
    expect(reached([obj("data-web-0", "a", 10)], "10", list(20))).toBe(false);
  });

  test("an object created after the list: reached", () => {
    expect(reached([obj("data-web-0", "b", 21)], "21", list(20))).toBe(true);
  });

  test("a name held by an older object than the listed one: not reached; by a newer one: reached", () => {
    expect(reached([obj("data-web-0", "old", 8)], "8", list(20, obj("data-web-0", "new", 15)))).toBe(false);
    expect(reached([obj("data-web-0", "newer", 24)], "24", list(20, obj("data-web-0", "new", 15)))).toBe(true);
  });

  test("versions that are not numbers are never taken as reached", () => {
    const odd = { metadata: { namespace: "ns", name: "web-0", uid: "a", resourceVersion: "x" } };
    expect(reached([odd], "x", { items: [odd], version: "x" })).toBe(false);
  });

  test("only the objects asked about count", () => {
    const only = (o: k8s.KubernetesObject) => o.metadata?.name !== "noise";
    expect(reached([], "5", list(20, obj("noise", "n", 10)), only)).toBe(true);
  });
});
