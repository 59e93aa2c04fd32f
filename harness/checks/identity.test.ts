import { describe, expect, test } from "@jest/globals";
import {
  checkMemberLabels,
  checkOwnData,
  checkReachesOnly,
  checkSameMember,
  checkServiceDns,
  checkSrvRecords,
  type PodIdentity,
} from "./identity.js";
import { memberLabels } from "../statefulset/naming.js";

const web1: PodIdentity = {
  pod: "web-1",
  uid: "u1",
  hostname: "web-1",
  specHostname: "web-1",
  subdomain: "web",
  fqdn: "web-1.web.ns.svc.cluster.local",
  expectedFqdn: "web-1.web.ns.svc.cluster.local",
  claim: "data-web-1",
  volume: "pv-a",
  dataSha: "aaa",
};

describe("G3 G9 G21 same member", () => {
  test("holds for a replacement with a new UID and everything else kept", () => {
    expect(checkSameMember(web1, { ...web1, uid: "u2" }, "pod deleted", "web")).toEqual([]);
  });
  test("flags a lost payload, another volume, a wrong hostname, an unchanged UID", () => {
    const v = checkSameMember(web1, { ...web1, dataSha: "", volume: "pv-b", hostname: "web-1x" }, "pod deleted", "web");
    expect(v.map((x) => x.guarantee).sort()).toEqual(["G21", "G3", "G9", "G9"]);
  });
  test("a container restart must keep the UID", () => {
    expect(checkSameMember(web1, { ...web1, uid: "u2" }, "container restarted", "web").map((x) => x.guarantee)).toEqual(
      ["G21"],
    );
  });
  test("flags a hostname that is the FQDN (setHostnameAsFQDN), a wrong subdomain and a changed FQDN", () => {
    const after = {
      ...web1,
      uid: "u2",
      hostname: web1.fqdn,
      subdomain: "other",
      fqdn: "web-1.other.ns.svc.cluster.local",
    };
    const v = checkSameMember(web1, after, "pod deleted", "web");
    expect(v.map((x) => x.expected)).toEqual([
      "the hostname web-1",
      "spec.subdomain web",
      "the FQDN web-1.web.ns.svc.cluster.local",
      "the FQDN web-1.web.ns.svc.cluster.local",
    ]);
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

describe("G5 the Service name answers Ready pods only", () => {
  test("holds for exactly the Ready pods, in any order", () => {
    expect(checkServiceDns("web", ["10.0.0.1", "10.0.0.3"], ["10.0.0.3", "10.0.0.1"])).toEqual([]);
  });
  test("flags an unready pod's address and an empty answer", () => {
    expect(checkServiceDns("web", ["10.0.0.1"], ["10.0.0.1", "10.0.0.2"])[0]?.seen).toBe("10.0.0.1, 10.0.0.2");
    expect(checkServiceDns("web", ["10.0.0.1"], [])[0]?.seen).toBe("no answer");
  });
});

describe("G5 SRV records name every member by its ordinal name", () => {
  const members = new Map([
    ["web-0", "web-0.web.ns.svc.cluster.local"],
    ["web-1", "web-1.web.ns.svc.cluster.local"],
  ]);
  const srv = (target: string, port = 8080) => ({ port, target });
  test("holds for one record per member on the Service's port", () => {
    const records = [srv("web-1.web.ns.svc.cluster.local"), srv("web-0.web.ns.svc.cluster.local")];
    expect(checkSrvRecords("web", members, 8080, records)).toEqual([]);
  });
  test("flags a missing member and a record naming a pod by its address", () => {
    const v = checkSrvRecords("web", members, 8080, [
      srv("web-0.web.ns.svc.cluster.local"),
      srv("10-244-1-5.web.ns.svc.cluster.local"),
    ]);
    expect(v.map((x) => x.pod)).toEqual(["web-1", "web"]);
  });
});

describe("member labels and the per-pod Service", () => {
  const ordinal = (name: string) => (/^web-(\d+)$/.exec(name) ? Number(name.slice(4)) : undefined);
  test("each member carries its name and ordinal; a pod without them is flagged", () => {
    const good = { name: "web-1", labels: { [memberLabels.podName]: "web-1", [memberLabels.podIndex]: "1" } };
    expect(checkMemberLabels([good], ordinal)).toEqual([]);
    expect(checkMemberLabels([{ name: "web-abc12", labels: {} }], ordinal)).toHaveLength(2);
  });
  test("a per-pod Service must answer from that pod only, and must answer", () => {
    expect(checkReachesOnly("web-1", ["web-1", "web-1"])).toEqual([]);
    expect(checkReachesOnly("web-1", ["web-1", "web-0"])[0]?.seen).toBe("answers from web-0");
    expect(checkReachesOnly("web-1", [])[0]?.seen).toBe("no answer");
  });
});
