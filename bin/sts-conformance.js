#!/usr/bin/env node
// Entry point of the CLI: runs the TypeScript sources through tsx (no build step to forget).
import { register } from "tsx/esm/api";

register();
await import("../harness/cli/main.ts");
