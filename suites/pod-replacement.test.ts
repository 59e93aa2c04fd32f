// G3 stable hostname, G9 stable claim and data, G21 a deleted pod is replaced with the same
// identity and a new UID. Negative controls: a set on emptyDir loses its data on replacement (G9);
// a container that renames its host (G3); a Deployment's replacement pod gets a new name (G21).
import { describe } from "@jest/globals";
import { measure } from "../harness/report/measure.js";
import { step } from "../harness/report/step.js";
import { checkHostname, checkSameMember, type PodIdentity } from "../harness/checks/identity.js";
import type { Scenario } from "./support/scenario.js";
import { scenarioTest } from "./support/scenario-test.js";

/** Deletes web-1 gracefully and returns its identity before and after, and the recovery time. */
async function replaceWeb1(s: Scenario): Promise<{ before: PodIdentity; after: PodIdentity }> {
  const before = await step("arrange: web-1 writes a random payload to its volume (fsync)", async () => {
    await s.probe.writePayload(1);
    return s.probe.identity(1);
  });
  const started = Date.now();
  await step("act: delete pod web-1 (graceful)", () => s.act.deletePod(1));
  await step("observe: web-1 is back, Running and Ready, with a new UID", () =>
    s.observe.readyPod(1, "a new UID", (p) => p.metadata?.uid !== before.uid),
  );
  await measure("web-1 recovery after delete", Date.now() - started);
  return { before, after: await s.probe.identity(1) };
}

describe("G3 G9 G21 a replaced pod keeps its identity", () => {
  scenarioTest(
    {
      guarantees: ["G3", "G9", "G21"],
      proves: ["data-follows-the-member"],
      says: "a deleted pod returns with the same name, hostname, claim, volume and data, and a new UID",
    },
    async (s) => {
      await step("arrange: an OrderedReady set of 3, Ready", () => s.readySet({ replicas: 3 }));
      const { before, after } = await replaceWeb1(s);
      await step(
        "assert: same member: name, hostname, spec.hostname, subdomain, FQDN, claim, volume, data; new UID",
        () => s.check.held(() => checkSameMember(before, after, "pod deleted", s.set)),
      );
    },
  );

  scenarioTest(
    {
      guarantees: ["G3", "G9"],
      proves: ["data-follows-the-member"],
      says: "a killed container restarts in place with the same pod, hostname and data",
    },
    async (s) => {
      await step("arrange: an OrderedReady set of 2, Ready", () => s.readySet({ replicas: 2 }));
      await s.probe.writePayload(1);
      const before = await s.probe.identity(1);
      const restarts =
        (await s.observe.readyPod(1, "running", () => true)).status?.containerStatuses?.[0]?.restartCount ?? 0;
      const started = Date.now();
      await step("act: kill the container's main process", () => s.act.killContainer(1));
      await step("observe: the container restarted and web-1 is Ready again", () =>
        s.observe.readyPod(1, "restarted", (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) > restarts),
      );
      await measure("web-1 recovery after container kill", Date.now() - started);
      const after = await s.probe.identity(1);
      await step("assert: same pod (same UID), hostname, claim, volume and data", () =>
        s.check.held(() => checkSameMember(before, after, "container restarted", s.set)),
      );
    },
  );

  scenarioTest(
    {
      guarantees: ["G9"],
      proves: ["data-follows-the-member"],
      control: true,
      says: "the identity check flags a set on emptyDir (data lost on replacement)",
    },
    async (s) => {
      await step("arrange: a set of 2 on emptyDir, Ready", () => s.readySet({ replicas: 2, dataVolume: "emptyDir" }));
      const { before, after } = await replaceWeb1(s);
      await s.check.flagged(
        () => checkSameMember(before, after, "pod deleted", s.set).filter((v) => v.guarantee === "G9"),
        { guarantee: "G9", seen: /\(missing\)/ },
      );
    },
  );

  scenarioTest(
    {
      guarantees: ["G3"],
      proves: ["data-follows-the-member"],
      control: true,
      says: "the hostname check flags a pod that renamed its host",
    },
    async (s) => {
      await step("arrange: a set of 2 whose container renames its host to 'impostor', Ready", () =>
        s.readySet({ replicas: 2, renameHostTo: "impostor" }),
      );
      const id = await s.probe.identity(1);
      await step("assert: the checker flags the hostname (it can fail)", () =>
        s.check.flagged(() => checkHostname(id, s.set), { guarantee: "G3", seen: /impostor/ }),
      );
    },
  );

  scenarioTest(
    {
      guarantees: ["G21"],
      proves: ["data-follows-the-member"],
      control: true,
      says: "the identity check flags a Deployment's replacement (new name)",
    },
    async (s) => {
      const original = await step("arrange: a Deployment posing as the set, 2 replicas, Ready", async () => {
        await s.act.createDeployment(2);
        return (await s.observe.readyCount(2)).map((p) => p.metadata?.name ?? "");
      });
      const victim = original[0] ?? "";
      const before = await s.probe.identity(victim);
      await step(`act: delete pod ${victim}`, () => s.act.deletePod(victim));
      const pods = await step("observe: a replacement Ready", () =>
        s.observe.readyCount(2, (now) => !now.some((p) => p.metadata?.name === victim)),
      );
      const replacement = pods.find((p) => !original.includes(p.metadata?.name ?? ""))?.metadata?.name ?? "";
      const after = await s.probe.identity(replacement);
      await step("assert: the checker flags the new name (it can fail)", () =>
        s.check.flagged(
          () => checkSameMember(before, after, "pod deleted", s.set).filter((v) => v.guarantee === "G21"),
          {
            guarantee: "G21",
            seen: /\S/,
          },
        ),
      );
    },
  );
});
