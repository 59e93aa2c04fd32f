import { describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { handToSonobuoy, progressSender, sonobuoyResultsDir, type ProgressUpdate } from "./sonobuoy.js";
import { inPod } from "./pod.js";

const plugin = (port = "8099") => ({
  SONOBUOY: "true",
  SONOBUOY_RESULTS_DIR: "/tmp/sonobuoy/results",
  SONOBUOY_PROGRESS_PORT: port,
});

describe("Sonobuoy's plugin contract", () => {
  it("is a plugin only with SONOBUOY=true and a results directory", () => {
    expect(sonobuoyResultsDir(plugin())).toBe("/tmp/sonobuoy/results");
    expect(sonobuoyResultsDir({ SONOBUOY_RESULTS_DIR: "/tmp/x" })).toBeUndefined();
    expect(progressSender({})).toBeUndefined();
    expect(inPod({})).toBe(false);
  });

  it("posts progress updates as Sonobuoy's ProgressUpdate JSON to the worker's /progress", async () => {
    const got: { url?: string; body: ProgressUpdate }[] = [];
    let received: () => void = () => undefined;
    const arrived = new Promise<void>((r) => (received = r));
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        got.push({ url: req.url, body: JSON.parse(body) as ProgressUpdate });
        res.end();
        received();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const send = progressSender(plugin(String((server.address() as AddressInfo).port)));
    send?.({ msg: "BROKEN: G13 …", total: 5, completed: 2, failures: ["BROKEN: G13 …"] });
    await arrived;
    server.close();
    expect(got).toEqual([
      { url: "/progress", body: { msg: "BROKEN: G13 …", total: 5, completed: 2, failures: ["BROKEN: G13 …"] } },
    ]);
  });

  it("hands the whole results directory over as one tar.gz named in the done file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sts-sonobuoy-"));
    writeFileSync(join(dir, "junit.xml"), "<testsuites/>");
    writeFileSync(join(dir, "summary.json"), "{}");
    const file = await handToSonobuoy(dir, dir);
    expect(readFileSync(join(dir, "done"), "utf8")).toBe(file);
    const listed = execFileSync("tar", ["-tzf", file]).toString().split("\n").filter(Boolean).sort();
    expect(listed).toEqual(["./", "./junit.xml", "./summary.json"]);
  });

  it("puts the archive and the done file in Sonobuoy's directory when the reports are elsewhere", async () => {
    const reports = mkdtempSync(join(tmpdir(), "sts-reports-"));
    const results = mkdtempSync(join(tmpdir(), "sts-sonobuoy-"));
    writeFileSync(join(reports, "junit.xml"), "<testsuites/>");
    const file = await handToSonobuoy(reports, results);
    expect(file).toBe(join(results, "sts-conformance-results.tar.gz"));
    expect(readFileSync(join(results, "done"), "utf8")).toBe(file);
    expect(execFileSync("tar", ["-tzf", file]).toString()).toContain("./junit.xml");
  });
});
