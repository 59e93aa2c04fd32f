#!/usr/bin/env node
// Entry point of the CLI: the locked dependencies first (a fresh clone's first command installs
// them, saying so in one line), on a supported Node (the project's own where the host's is too old),
// then the TypeScript sources through tsx (no build step to forget).
import { ensureDeps } from "../harness/tools/ensure-deps.mjs";
import { onSupportedNode } from "../harness/tools/supported-node.mjs";

ensureDeps();
await onSupportedNode();
const { register } = await import("tsx/esm/api");
register();
await import("../harness/cli/main.ts");
