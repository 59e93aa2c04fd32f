// What each command runs of the specs, by their metadata: its profile. One table, read by the
// CLI's selection (cli/list.ts) and by the run's result, which needs the whole of a profile to
// tell what a narrowed run left out.
import type { TestMeta } from "./test-meta.js";

/**
 * `guarantees` (run): every test but the chaos run's and the upgrade check's; `storage`: those
 * that prove the storage capabilities; `chaos`: the chaos run and its control; `upgrade`: the
 * upgrade check's judgements of a baseline and their control.
 */
export const profiles = ["guarantees", "storage", "chaos", "upgrade"] as const;
export type Profile = (typeof profiles)[number];

export const inProfile: Record<Profile, (m: Pick<TestMeta, "mode" | "proves">) => boolean> = {
  guarantees: (m) => m.mode === undefined,
  storage: (m) => (m.proves ?? []).length > 0,
  chaos: (m) => m.mode === "chaos",
  upgrade: (m) => m.mode === "upgrade",
};
