// Jest loads global setup modules natively (no TypeScript transform, no .js -> .ts mapping), so
// this shim loads the TypeScript through tsx.
import { tsImport } from "tsx/esm/api";

export default async function globalSetup() {
  const { setup } = await tsImport("./cluster-lifecycle.ts", import.meta.url);
  await setup();
}
