// Installs the locked dependencies when they are missing or older than package-lock.json, so the
// README's commands work on a fresh clone: run by the CLI's entry point before anything else, and
// before `npm test` and `npm run suite`.
// `npm install`, not `npm ci`: a registry mirror may lack some other-platform optional binaries
// (e.g. @unrs/resolver-binding-darwin-*, missing here until late 2026), which npm ci's strict lock
// check rejects; npm install still takes every version from the lock and skips the unavailable ones.
import { execSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export function ensureDeps() {
  const marker = join(root, "node_modules", ".package-lock.json");
  const lock = join(root, "package-lock.json");
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  console.error("[deps] installing locked dependencies …");
  try {
    execSync("npm install --no-audit --no-fund --loglevel=error", { cwd: root, stdio: ["ignore", 2, 2] });
  } catch {
    console.error(
      `sts-conformance: installing npm dependencies failed (see above); check the npm registry is reachable, then run 'npm install' in ${root}`,
    );
    process.exit(2);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureDeps();
