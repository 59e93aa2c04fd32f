import { describe, expect, test } from "@jest/globals";
import { clusterDomainFrom, dnsServerFailure, dnsUnreachable, parseNslookup, parseSrv, searchPath } from "./dns.js";

describe("DNS output parsing", () => {
  test("answers of busybox nslookup, not the server line", () => {
    const out =
      "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tweb-0.web.ns.svc.cluster.local\nAddress: 10.244.1.7\n\n";
    expect(parseNslookup(out)).toEqual(["10.244.1.7"]);
  });
  test("several answers (the Service name), and none for NXDOMAIN", () => {
    const out =
      "Server: 10.96.0.10\nAddress: 10.96.0.10:53\n\nName: web.ns.svc.cluster.local\nAddress: 10.244.1.7\nName: web.ns.svc.cluster.local\nAddress: 10.244.2.3\n";
    expect(parseNslookup(out)).toEqual(["10.244.1.7", "10.244.2.3"]);
    expect(parseNslookup("Server: 10.96.0.10\nAddress: 10.96.0.10:53\n\n** server can't find x: NXDOMAIN\n")).toEqual(
      [],
    );
  });
  test("AAAA answers are read too: an IPv6 or dual-stack pod's name is not 'no answer'", () => {
    const out =
      "Server: fd00:10:96::a\nAddress: fd00:10:96::a:53\n\nName: web-0.web.ns.svc.cluster.local\nAddress: 10.244.1.7\n\n" +
      "Name: web-0.web.ns.svc.cluster.local\nAddress: fd00:10:244:1::7\n";
    expect(parseNslookup(out)).toEqual(["10.244.1.7", "fd00:10:244:1::7"]);
  });
  test("cluster domain from the search list", () => {
    expect(clusterDomainFrom("search ns.svc.corp.example svc.corp.example corp.example\nnameserver 10.96.0.10\n")).toBe(
      "corp.example",
    );
    expect(clusterDomainFrom("nameserver 1.1.1.1\n")).toBeUndefined();
  });
  test("the search list in order, for a pod given another resolver with the same names", () => {
    expect(searchPath("search ns.svc.cluster.local svc.cluster.local cluster.local \nnameserver 10.96.0.10\n")).toEqual(
      ["ns.svc.cluster.local", "svc.cluster.local", "cluster.local"],
    );
    expect(searchPath("nameserver 1.1.1.1\n")).toEqual([]);
  });
  test("no server answering is told apart from a name that does not exist", () => {
    expect(dnsUnreachable(";; connection timed out; no servers could be reached\n")).toBe(true);
    expect(dnsUnreachable("Server:\t\t10.96.0.10\n** server can't find web-9.web: NXDOMAIN\n")).toBe(false);
  });
  test("a server failing the query (SERVFAIL, REFUSED) is told apart from an answer about the name", () => {
    expect(
      dnsServerFailure("Server:\t\t10.96.0.10\n** server can't find web-0.web.ns.svc.cluster.local: SERVFAIL\n"),
    ).toBe("SERVFAIL");
    expect(dnsServerFailure("** server can't find web-0.web: REFUSED\n")).toBe("REFUSED");
    expect(dnsServerFailure("** server can't find web-9.web: NXDOMAIN\n")).toBeUndefined();
    expect(parseNslookup("** server can't find web-0.web: SERVFAIL\n")).toEqual([]); // what made it read as no answer
  });

  test("SRV records: port and target of each", () => {
    const out = [
      "Server:\t\t10.96.0.10",
      "Address:\t10.96.0.10:53",
      "",
      "_http._tcp.web.ns.svc.cluster.local\tservice = 0 50 8080 web-0.web.ns.svc.cluster.local",
      "_http._tcp.web.ns.svc.cluster.local\tservice = 0 50 8080 web-1.web.ns.svc.cluster.local",
    ].join("\n");
    expect(parseSrv(out)).toEqual([
      { port: 8080, target: "web-0.web.ns.svc.cluster.local" },
      { port: 8080, target: "web-1.web.ns.svc.cluster.local" },
    ]);
  });
});
