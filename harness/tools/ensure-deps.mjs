// Runs before `npm test` and `npm run suite`: installs the locked dependencies when they are
// missing or older than package-lock.json, so the README's two commands work on a fresh clone.
// `npm install`, not `npm ci`: a registry mirror may lack some other-platform optional binaries
// (e.g. @unrs/resolver-binding-darwin-*, missing here until late 2026), which npm ci's strict lock
// check rejects; npm install still takes every version from the lock and skips the unavailable ones.
import { execSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";

const marker = "node_modules/.package-lock.json";
const stale = !existsSync(marker) || statSync(marker).mtimeMs < statSync("package-lock.json").mtimeMs;
if (stale) {
  console.error("[deps] installing locked dependencies …");
  try {
    execSync("npm install --no-audit --no-fund --loglevel=error", { stdio: "inherit" });
  } catch {
    console.error(
      "sts-conformance: installing npm dependencies failed (see above); check the npm registry is reachable, then retry",
    );
    process.exit(2);
  }
}
