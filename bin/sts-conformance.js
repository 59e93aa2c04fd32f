#!/usr/bin/env node
// Entry point of the CLI: the locked dependencies first (a fresh clone's first command installs
// them, saying so in one line), then the TypeScript sources through tsx (no build step to forget).
import { ensureDeps } from "../harness/tools/ensure-deps.mjs";

ensureDeps();
const { register } = await import("tsx/esm/api");
register();
await import("../harness/cli/main.ts");
