// Runs before `npm test` and `npm run suite`: installs the locked dependencies when they are
// missing or older than package-lock.json, so the README's two commands work on a fresh clone.
import { execSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";

const marker = "node_modules/.package-lock.json";
const stale = !existsSync(marker) || statSync(marker).mtimeMs < statSync("package-lock.json").mtimeMs;
if (stale) {
  console.error("[deps] installing locked dependencies (npm ci) …");
  execSync("npm ci --no-audit --no-fund --loglevel=error", { stdio: "inherit" });
}
