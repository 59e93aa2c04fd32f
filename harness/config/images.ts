import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cacheDir } from "./paths.js";

/**
 * The image fixtures run (busybox: sh, httpd, nslookup, sha256sum). On the air-gapped kind
 * cluster it is the one the image build put on every node; elsewhere, STS_FIXTURE_IMAGE or busybox.
 */
export function fixtureImage(): string {
  if (process.env.STS_FIXTURE_IMAGE) return process.env.STS_FIXTURE_IMAGE;
  try {
    return readFileSync(join(cacheDir, "artifacts", "busybox-image", "image"), "utf8").trim();
  } catch {
    return "busybox:1.36";
  }
}
