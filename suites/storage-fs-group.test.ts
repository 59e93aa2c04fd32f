// fsGroup, as a storage vendor claims it: a pod's fsGroup owns its volume (the kubelet makes the
// data directory's group the fsGroup and sets its setgid bit, so new files take the group), which
// is what lets a non-root database write its claim. Where the class does not claim it, the run
// reports what it saw: not offered (hostPath volumes keep their ownership), or held (claimable).
// Negative control: a set without fsGroup: the same check flags the volume's group.
import { describe } from "@jest/globals";
import { attach, step } from "../harness/report/step.js";
import { checkFsGroup } from "../harness/storage/capability-checks.js";
import { noteNotOffered } from "../harness/storage/findings.js";
import { podName } from "../harness/statefulset/naming.js";
import { dataDir } from "../fixtures/web-pod.js";
import type { Scenario } from "./support/scenario.js";
import { scenarioTest } from "./support/scenario-test.js";
import { expectations } from "./support/storage.js";

const fsGroup = 4321;

async function volumeOwnership(s: Scenario, o: { fsGroup?: number }): Promise<string> {
  await step(`arrange: a set of 1 with a claim${o.fsGroup ? `, fsGroup ${o.fsGroup}` : ", no fsGroup"}, Ready`, () =>
    s.readySet({ replicas: 1, ...o }),
  );
  const stat = await step(`observe: the group and mode of ${dataDir}`, () =>
    s.probe.sh(0, `stat -c '%g %A' ${dataDir}`),
  );
  await attach(`stat ${dataDir}`, stat);
  return stat;
}

describe("Storage fs-group", () => {
  scenarioTest(
    {
      proves: ["fs-group"],
      says: "a pod's fsGroup owns its volume (group and setgid); where not claimed, what the class did is reported",
    },
    async (s) => {
      const e = expectations();
      const stat = await volumeOwnership(s, { fsGroup });
      const violations = checkFsGroup(podName(s.set, 0), stat, fsGroup);
      if (e.fsGroup.value)
        return step(`assert: fsGroup (${e.fsGroup.source}) held`, () => s.check.held(() => violations));
      if (violations.length > 0)
        return noteNotOffered("fs-group", violations.map((v) => `expected ${v.expected}, seen ${v.seen}`).join("; "));
      await step("assert: not claimed, but the volume is the fsGroup's", () => s.check.held(() => violations));
    },
  );

  scenarioTest(
    { proves: ["fs-group"], control: true, says: "a set without fsGroup: the check flags the volume's group" },
    async (s) => {
      const stat = await volumeOwnership(s, {});
      await step("assert: the checker flags the group (it can fail)", () =>
        s.check.flagged(() => checkFsGroup(podName(s.set, 0), stat, fsGroup), {
          guarantee: "fs-group",
          seen: /^group /,
        }),
      );
    },
  );
});
