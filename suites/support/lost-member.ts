// The member a node-loss scenario loses with its node (node-loss and node-shutdown specs): a set of
// 1 on a node kept for faults, its data, and how it must come back once the node does.
import type * as k8s from "@kubernetes/client-node";
import { expect } from "@jest/globals";
import { Inconclusive } from "../../harness/verdict/verdict.js";
import { attach, step } from "../../harness/report/step.js";
import { podName } from "../../harness/statefulset/naming.js";
import { checkSameMember, type PodIdentity } from "../../harness/checks/identity.js";
import { claimName } from "../../fixtures/web-statefulset.js";
import { onKind } from "../../harness/run/conditions.js";
import type { Scenario } from "./scenario.js";

/** Node pause and stop are made on kind's node containers: elsewhere those tests are skipped, saying so. */
export const kindNodes = onKind(
  "pausing or stopping a node needs the suite's kind cluster (its nodes are Docker containers)",
);

/** The set's one member: the one its node's loss takes. */
export const member = 0;

/**
 * A set of 1 on the fault node, whose pod is evicted 5 s after its node is unreachable, holding
 * data. Returns the member's identity and the nodes its volume is pinned to (none on shared storage).
 */
export async function arrange(s: Scenario, node: string): Promise<{ before: PodIdentity; pinnedTo: string[] }> {
  await step(`arrange: a set of 1 on ${node} whose pod is evicted 5 s after its node is unreachable, Ready`, () =>
    s.readySet({ replicas: 1, unreachableTolerationS: 5, onNode: node }),
  );
  await s.probe.writePayload(member);
  const before = await s.probe.identity(member);
  const placed = (await s.observe.readyPod(member, "placed", () => true)).spec?.nodeName ?? "";
  if (placed !== node)
    throw new Inconclusive(`${podName(s.set, member)} was placed on ${placed}, not on the fault node ${node}`);
  return { before, pinnedTo: await s.probe.volumeNodes(claimName(s.set, member)) };
}

/**
 * With node-pinned storage (local-path) the replacement of a member lost with `node` must wait
 * Pending, the scheduler saying why; storage reachable from elsewhere lets it run at once.
 */
export async function waitsForItsVolume(
  s: Scenario,
  replacement: k8s.V1Pod,
  node: string,
  pinnedTo: string[],
): Promise<void> {
  const victim = podName(s.set, member);
  if (!pinnedTo.includes(node))
    return attach("the replacement", `${replacement.metadata?.uid}: its volume is not pinned to ${node}`);
  const why = await step(`observe: the new ${victim} Pending: its volume is pinned to ${node}`, async () => {
    const pending = await s.observe.pod(member, "unschedulable", (p) =>
      Boolean(p.status?.conditions?.some((c) => c.type === "PodScheduled" && c.reason === "Unschedulable")),
    );
    return pending.status?.conditions?.find((c) => c.type === "PodScheduled")?.message ?? "";
  });
  await attach("why the replacement waits", why);
  expect(why).toMatch(/PersistentVolume's node affinity|volume node affinity conflict/);
}

/** Once its node is back: web-1 Ready under a new UID, and the same member (name, hostname, claim, volume, data). */
export async function backAsTheSameMember(s: Scenario, before: PodIdentity): Promise<void> {
  await step(`observe: ${podName(s.set, member)} Ready once its node is back`, () =>
    s.observe.readyPod(member, "a new UID", (p) => p.metadata?.uid !== before.uid),
  );
  const after = await s.probe.identity(member);
  await step("assert: the same member: name, hostname, claim, volume and data", () =>
    s.check.held(() => checkSameMember(before, after, "pod deleted", s.set)),
  );
}
