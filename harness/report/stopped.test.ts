import { describe, expect, it } from "@jest/globals";
import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stoppedCaseName, writeStoppedJunit } from "./stopped.js";

describe("a run that could not start", () => {
  it("leaves junit.xml with one failed case holding the reason", () => {
    const dir = mkdtempSync(join(tmpdir(), "sts-stopped-"));
    writeStoppedJunit(dir, "the kubeconfig's user may not: create pods/eviction; use credentials <with> these rights");
    const xml = readFileSync(join(dir, "junit.xml"), "utf8");
    expect(xml).toContain('tests="1" failures="1"');
    expect(xml).toContain(`name="${stoppedCaseName}"`);
    expect(xml).toContain(
      'type="stopped" message="the kubeconfig\'s user may not: create pods/eviction; use credentials &lt;with&gt; these rights"',
    );
  });

  it("keeps a junit.xml this run wrote itself, replaces an older one", () => {
    const dir = mkdtempSync(join(tmpdir(), "sts-stopped-"));
    const file = join(dir, "junit.xml");
    const since = Date.now();
    writeFileSync(file, "<testsuites/>");
    writeStoppedJunit(dir, "why", since - 1000);
    expect(readFileSync(file, "utf8")).toBe("<testsuites/>");
    utimesSync(file, new Date(since - 60_000), new Date(since - 60_000));
    writeStoppedJunit(dir, "why", since);
    expect(readFileSync(file, "utf8")).toContain(stoppedCaseName);
  });
});
