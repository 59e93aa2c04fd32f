import { describe, expect, test } from "@jest/globals";
import { checkOwnData, checkSameMember, type PodIdentity } from "./identity.js";

const web1: PodIdentity = {
  pod: "web-1",
  uid: "u1",
  hostname: "web-1",
  claim: "data-web-1",
  volume: "pv-a",
  dataSha: "aaa",
};

describe("G3 G9 G21 same member", () => {
  test("holds for a replacement with a new UID and everything else kept", () => {
    expect(checkSameMember(web1, { ...web1, uid: "u2" }, true)).toEqual([]);
  });
  test("flags a lost payload, another volume, a wrong hostname, an unchanged UID", () => {
    const v = checkSameMember(web1, { ...web1, dataSha: "", volume: "pv-b", hostname: "web-1x" }, true);
    expect(v.map((x) => x.guarantee).sort()).toEqual(["G21", "G3", "G9", "G9"]);
  });
  test("a container restart must keep the UID", () => {
    expect(checkSameMember(web1, { ...web1, uid: "u2" }, false).map((x) => x.guarantee)).toEqual(["G21"]);
  });
});

describe("G9 own data", () => {
  const written = new Map([
    ["web-0", "s0"],
    ["web-1", "s1"],
  ]);
  test("holds when each ordinal reads its own bytes", () => {
    expect(checkOwnData(written, new Map(written), "restart")).toEqual([]);
  });
  test("flags swapped and missing payloads", () => {
    const v = checkOwnData(written, new Map([["web-0", "s1"]]), "restart");
    expect(v.map((x) => x.pod)).toEqual(["web-0", "web-1"]);
  });
});
