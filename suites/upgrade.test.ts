// Upgrade: what `upgrade prepare` set up before a cluster upgrade (an OrderedReady and a Parallel
// set with claims, one member per node, a budget of one each, a file of random bytes on every
// member, a writer acknowledging fsynced records to every member throughout) is judged after it,
// against the baseline and the timeline `upgrade watch` recorded during it: the same claims on
// the same volumes, every byte and every acknowledged record still there, no identity doubled,
// the budget never exceeded and no member away too long, ordering kept for every replaced member,
// names and DNS as promised. Run by `upgrade check` only (then the guarantees' own tests).
// Negative control: a careless upgrade step (members on two nodes deleted at once, past the
// budget; a member's volume directory wiped on its node) must be flagged by the same checkers.
import { describe } from "@jest/globals";
import { checkHostname, checkPodDns } from "../harness/checks/identity.js";
import { KindNode } from "../harness/cluster/kind-node.js";
import { fixtureImage } from "../harness/config/image-build.js";
import { setting } from "../harness/config/settings.js";
import { Timeouts } from "../harness/config/timeouts.js";
import { withRetry } from "../harness/kube/retry.js";
import { measure } from "../harness/report/measure.js";
import { attach, step } from "../harness/report/step.js";
import { onKind } from "../harness/run/conditions.js";
import { members, type Baseline } from "../harness/upgrade/baseline.js";
import {
  checkBaselineData,
  checkBudgetHeld,
  checkNoRollout,
  checkOneIdentityPerMember,
  checkRemovalsConfirmed,
  checkReplacementOrder,
  checkSameVolumes,
  removals,
  replacedMembers,
} from "../harness/upgrade/judgements.js";
import { UpgradeWatch } from "../harness/upgrade/recording.js";
import { loadBaseline, loadRecording } from "../harness/upgrade/store.js";
import { dnsAnswer, membersService, prepareWorkload } from "../harness/upgrade/workload.js";
import { checkNothingLost, describeLedger, unseenCount } from "../harness/workload/ledger.js";
import { latencyOverBudget, latencyTable, phases } from "../harness/workload/latency.js";
import { Inconclusive } from "../harness/verdict/verdict.js";
import {
  assertCovered,
  checksOver,
  readAfterUpgrade,
  snapshotChecks,
  timelineOf,
  type AfterUpgrade,
} from "./support/after-upgrade.js";
import { metaTest, scenarioTest } from "./support/scenario-test.js";
import { targetKube } from "./support/target.js";

const unavailableBudgetMs = setting("upgradeUnavailableS") * 1000;
const latencyBudgetMs = setting("upgradeLatencyP95Ms");

/** The writer's latency before, during and after the upgrade: in the report, as a table and measurements. */
async function reportLatency(a: AfterUpgrade): Promise<void> {
  const latency = a.latency;
  if ("unknown" in latency) return void (await attach("acknowledged-write latency", `not known: ${latency.unknown}`));
  await attach("acknowledged-write latency", latencyTable(latency));
  for (const p of phases) {
    const s = latency[p];
    if (s) await measure(`write latency p95 ${p} the upgrade`, s.p95Ms);
  }
}

/** Read once, by the first test that needs it (Jest runs a file's tests in order). */
let after: Promise<AfterUpgrade> | undefined;
const afterUpgrade = () => {
  after ??= (async () => {
    const kube = targetKube();
    const baseline = await loadBaseline(kube);
    return readAfterUpgrade(kube, baseline, loadRecording(baseline));
  })();
  return after;
};

describe("Upgrade: StatefulSets through a cluster upgrade", () => {
  metaTest(
    {
      mode: "upgrade",
      guarantees: ["G10"],
      says: "every claim still bound to the volume it had before the upgrade, the same storage behind it",
    },
    async () => {
      const a = await afterUpgrade();
      await step("assert: each member's claim bound to its baseline volume (name and handle)", () =>
        snapshotChecks.held(() => checkSameVolumes(members(a.baseline), a.bindings)),
      );
    },
  );

  metaTest(
    {
      mode: "upgrade",
      guarantees: ["G9"],
      says: "every member's data as written before the upgrade, and every acknowledged write on its volume, once, in order",
    },
    async () => {
      const a = await afterUpgrade();
      await reportLatency(a);
      if (a.unreadable) throw new Inconclusive(a.unreadable);
      await attach(`acknowledged writes (from ${a.ledgerFrom})`, describeLedger(a.ledger));
      await step("assert: each member's file of random bytes reads back with its baseline checksum", () =>
        snapshotChecks.held(() =>
          checkBaselineData(members(a.baseline), new Map([...a.identities].map(([m, id]) => [m, id.dataSha]))),
        ),
      );
      if (a.ledgerUnusable) throw new Inconclusive(`acknowledged writes not compared: ${a.ledgerUnusable}`);
      await step("assert: every acknowledged record on its member's volume (writes during the upgrade included)", () =>
        snapshotChecks.held(() => checkNothingLost(a.ledger, a.journals)),
      );
      const unseen = unseenCount(a.ledger);
      if (unseen > 0)
        throw new Inconclusive(
          `${unseen} record(s) whose acknowledgement was never read (neither the watch nor the log had them): not judged`,
        );
    },
  );

  metaTest(
    {
      mode: "upgrade",
      says: "the workload's acknowledged-write latency before, during and after the upgrade: p95 within its budget",
    },
    async () => {
      const a = await afterUpgrade();
      const latency = a.latency;
      if ("unknown" in latency) throw new Inconclusive(`the latencies are not known: ${latency.unknown}`);
      await step(`assert: p95 at most ${latencyBudgetMs} ms before, during and after the upgrade`, () =>
        snapshotChecks.held(() => latencyOverBudget(latency, latencyBudgetMs)),
      );
    },
    {
      runIf: {
        holds: latencyBudgetMs > 0,
        reason: "no latency budget (STS_UPGRADE_LATENCY_P95_MS): the latencies are in Upgrade G9's report, not judged",
      },
    },
  );

  metaTest(
    {
      mode: "upgrade",
      guarantees: ["G26"],
      says: "the upgrade rolled out nothing: each set's revisions, and every member's, as before it",
    },
    async () => {
      const a = await afterUpgrade();
      await step(
        "assert: currentRevision and updateRevision of each set, the revision of every member, the baseline's",
        () => snapshotChecks.held(() => checkNoRollout(a.baseline.sets, a.revisions)),
      );
    },
  );

  metaTest(
    {
      mode: "upgrade",
      guarantees: ["G23"],
      says: "at no moment two pods with one identity: each replaced member removed only once its kubelet confirmed, none replaced while its node was NotReady",
    },
    async () => {
      const a = await afterUpgrade();
      let exercised = 0; // removals and NotReady windows seen: with none, nothing here was put to the test
      for (const s of a.baseline.sets) {
        const entries = timelineOf(a, s.name);
        await step(
          `assert: ${s.name}: every removal confirmed by its kubelet, no replacement while its node was NotReady`,
          async () => {
            const windows = checkOneIdentityPerMember(entries, s.name);
            exercised += windows.windows + removals(entries, s.name);
            await attach(`${s.name}: node NotReady windows with a member on the node`, String(windows.windows));
            await checksOver(s.name, entries).held(() => {
              const confirmed = checkRemovalsConfirmed(entries, s.name);
              return {
                violations: [...confirmed.violations, ...windows.violations],
                gaps: [...confirmed.gaps, ...windows.gaps],
              };
            });
          },
        );
      }
      assertCovered(a);
      if (exercised === 0)
        throw new Inconclusive(
          "not exercised: the recording saw no member removed and none on a node that went NotReady during the upgrade",
        );
    },
  );

  metaTest(
    {
      mode: "upgrade",
      guarantees: ["G25"],
      says: "no member removed while its budget was used up, none away longer than the unavailability budget, all back after",
    },
    async () => {
      const a = await afterUpgrade();
      let removals = 0; // members removed (evicted, deleted): with none, no budget was put to the test
      for (const s of a.baseline.sets) {
        const entries = timelineOf(a, s.name);
        const r = checkBudgetHeld(entries, s.name, s.replicas, s.maxUnavailable, unavailableBudgetMs);
        removals += r.removals;
        const table = [
          ...[...r.longestMs].map(([m, ms]) => `${m}: longest unavailable ${(ms / 1000).toFixed(1)} s`),
          // members not Ready in place count as for the Eviction API, but only a removal past the budget breaks it
          `${r.removals} member(s) removed; at most ${r.peak} unavailable at once (budget ${s.maxUnavailable})`,
        ];
        await attach(`${s.name}: unavailability during the upgrade (peak ${r.peak} at once)`, table.join("\n"));
        for (const [m, ms] of r.longestMs) await measure(`${m} longest unavailable`, ms);
        await step(
          `assert: ${s.name}: no member removed with ${s.maxUnavailable} other(s) away, none away more than ${unavailableBudgetMs / 1000} s`,
          () => checksOver(s.name, entries).held(() => r),
        );
      }
      if (a.notBack)
        await step("assert: every member Ready again after the upgrade", () =>
          snapshotChecks.held(() => [
            {
              guarantee: "G25",
              pod: "members",
              expected: "every member Ready again after the upgrade",
              seen: a.notBack ?? "",
            },
          ]),
        );
      assertCovered(a);
      if (removals === 0)
        throw new Inconclusive(
          "not exercised: the recording saw no member removed (evicted or deleted) during the upgrade",
        );
    },
  );

  metaTest(
    {
      mode: "upgrade",
      guarantees: ["G13"],
      says: "every member the upgrade replaced in the OrderedReady set created only once its predecessors were Running and Ready",
    },
    async () => {
      const a = await afterUpgrade();
      const ordered = a.baseline.sets.find((s) => s.podManagementPolicy === "OrderedReady");
      if (!ordered) throw new Inconclusive("the baseline has no OrderedReady set");
      const entries = timelineOf(a, ordered.name);
      const replaced = replacedMembers(entries, a.baseline).filter((m) => m.startsWith(`${ordered.name}-`));
      await attach("members the upgrade replaced", replaced.join(", ") || "(none)");
      if (replaced.length === 0) {
        assertCovered(a); // a recording that missed the replacements is the reason, if so
        throw new Inconclusive(`the upgrade replaced no member of ${ordered.name}: its ordering was not exercised`);
      }
      await step(`assert: ${ordered.name}: each replacement created after its predecessors were Ready`, () =>
        checksOver(ordered.name, entries).held(() => checkReplacementOrder(entries, ordered.name)),
      );
      assertCovered(a);
    },
  );

  metaTest(
    {
      mode: "upgrade",
      guarantees: ["G3", "G4"],
      says: "every member kept its name, hostname and claim, and its DNS name answers with its current address",
    },
    async () => {
      const a = await afterUpgrade();
      if (a.unreadable) throw new Inconclusive(a.unreadable);
      const kube = targetKube();
      const ns = a.baseline.namespace;
      await step("assert: hostname, spec.hostname, subdomain and FQDN of every member; its claim the baseline's", () =>
        snapshotChecks.held(() =>
          members(a.baseline).flatMap((m) => {
            const id = a.identities.get(m.pod);
            if (!id) return [{ guarantee: "G3", pod: m.pod, expected: "the member present", seen: "absent" }];
            const claim =
              id.claim === m.claim
                ? []
                : [
                    {
                      guarantee: "G3",
                      pod: m.pod,
                      expected: `claim ${m.claim}`,
                      seen: `claim ${id.claim || "(none)"}`,
                    },
                  ];
            return [...checkHostname(id, membersService), ...claim];
          }),
        ),
      );
      await step(
        `assert: each member's DNS name answers with its pod's address (within ${Timeouts.dnsPropagationMs / 1000} s)`,
        async () => {
          const ips = new Map<string, string[]>();
          for (const m of members(a.baseline)) {
            const pod = await withRetry(() => kube.core.readNamespacedPod({ namespace: ns, name: m.pod }));
            ips.set(
              m.pod,
              (pod.status?.podIPs ?? []).map((p) => p.ip),
            );
          }
          const names = new Map(members(a.baseline).map((m) => [m.pod, `${m.pod}.${membersService}.${ns}`]));
          const deadline = Date.now() + Timeouts.dnsPropagationMs;
          let resolved = new Map<string, string[]>();
          do {
            resolved = new Map(
              await Promise.all(
                members(a.baseline).map(
                  async (m) => [m.pod, await dnsAnswer(kube, ns, a.baseline.writer, m.pod)] as const,
                ),
              ),
            );
          } while (checkPodDns(ips, resolved, names).length > 0 && Date.now() < deadline);
          await snapshotChecks.held(() => checkPodDns(ips, resolved, names));
        },
      );
    },
  );

  scenarioTest(
    {
      mode: "upgrade",
      guarantees: ["G25", "G9"],
      control: true,
      needs: ["kind-cluster"],
      says: "a careless upgrade step (members on two nodes deleted at once past the budget, a member's volume wiped on its node) is flagged",
    },
    { runIf: onKind("wiping a member's volume needs the suite's kind cluster (its nodes' disks)") },
    async (s) => {
      const log = (line: string) => void attach("prepare", line);
      const b: Baseline = await step("arrange: the upgrade's workload and baseline, in this test's namespace", () =>
        prepareWorkload(s.kube, s.namespace, {
          image: fixtureImage(),
          storageClass: setting("storageClassInUse") || undefined,
          log,
        }),
      );
      const [set] = b.sets;
      const nodes = [...new Set(set?.members.map((m) => m.node))].slice(0, 2);
      const wiped = set?.members[0];
      if (!set || !wiped || nodes.length < 2)
        throw new Inconclusive(`the members of the first set are not on two nodes: ${nodes.join(", ")}`);
      const watch = await UpgradeWatch.start(s.kube, b, log);
      const again = await (async () => {
        await step(
          `act: wipe ${wiped.pod}'s volume directory on ${wiped.node}; delete every member on ${nodes.join(" and ")} at once`,
          async () => {
            watch.mark(`careless: wipe ${wiped.volumeHandle} on ${wiped.node}`);
            await (await KindNode.of(wiped.node)).sh(`rm -rf '${wiped.volumeHandle}'/*`);
            watch.mark(`careless: delete the members on ${nodes.join(", ")} at once`);
            const doomed = members(b).filter((m) => nodes.includes(m.node));
            await Promise.all(
              doomed.map((m) =>
                withRetry(() => s.kube.core.deleteNamespacedPod({ namespace: s.namespace, name: m.pod })),
              ),
            );
          },
        );
        const read = await step(
          "observe: every member Ready again; the writer stopped, every journal and file read",
          () => readAfterUpgrade(s.kube, b),
        );
        await watch.catchUp();
        return read;
      })().finally(() => watch.stop("the control's end", false)); // caught up above
      const entries = watch.snapshot().timelines[set.name] ?? [];
      await step(`assert: ${set.name}'s budget is flagged exceeded (a member removed while another was away)`, () =>
        checksOver(set.name, entries).flagged(
          () => checkBudgetHeld(entries, set.name, set.replicas, set.maxUnavailable, unavailableBudgetMs),
          { guarantee: "G25", seen: / removed while .+ unavailable$/ },
        ),
      );
      await step(`assert: ${wiped.pod}'s data is flagged gone`, () =>
        snapshotChecks.flagged(
          () => checkBaselineData([wiped], new Map([[wiped.pod, again.identities.get(wiped.pod)?.dataSha ?? ""]])),
          { guarantee: "G9", seen: /^the file is gone$/ },
        ),
      );
      await step(`assert: ${wiped.pod}'s acknowledged writes are flagged lost`, () =>
        snapshotChecks.flagged(() => checkNothingLost(again.ledger, again.journals), {
          guarantee: "G9",
          seen: /acknowledged record\(s\) missing/,
        }),
      );
    },
  );
});
