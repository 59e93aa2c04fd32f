import { afterEach, describe, expect, test } from "@jest/globals";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { paths } from "../config/paths.js";
import { KindCli } from "./kind.js";
import { kubernetesOfImage } from "./provision.js";

describe("kind CLI", () => {
  const saved = { ...process.env };
  const cache = mkdtempSync(join(tmpdir(), "sts-kind-"));
  afterEach(() => {
    process.env = { ...saved };
    rmSync(cache, { recursive: true, force: true });
  });

  // A first run makes the KindCli before the image build has compiled the pinned kind.
  test("the pinned kind built after the CLI object was made is the one that runs", async () => {
    process.env.STS_CACHE_DIR = cache;
    delete process.env.STS_KIND_BIN;
    const kind = new KindCli();
    mkdirSync(dirname(paths.builtKind), { recursive: true });
    writeFileSync(paths.builtKind, "#!/bin/sh\necho kind v0.0.0-test\n");
    chmodSync(paths.builtKind, 0o755);
    const r = await kind.version();
    expect(r).toMatchObject({ ok: true, stdout: "kind v0.0.0-test" });
  });
});

test("the Kubernetes a node image's tag names: the suite's, kind's, none", () => {
  expect(kubernetesOfImage("sts.local/kind-node:v1.36.3-751e333068fea87f")).toBe("v1.36.3");
  expect(kubernetesOfImage("kindest/node:v1.35.0@sha256:abc")).toBe("v1.35.0");
  expect(kubernetesOfImage("kindest/node:v1.35.0")).toBe("v1.35.0");
  expect(kubernetesOfImage("my/node:latest")).toBeUndefined();
  expect(kubernetesOfImage(undefined)).toBeUndefined();
});
