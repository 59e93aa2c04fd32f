// See global-setup.js.
import { tsImport } from "tsx/esm/api";

export default async function globalTeardown() {
  const { teardown } = await tsImport("./cluster-lifecycle.ts", import.meta.url);
  await teardown();
}
