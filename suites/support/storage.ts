// The mechanics of the storage capabilities' specs: what the run expects of its class, each
// member's claim, volume and node as bound, a member's claim grown, latency samples recorded.
import type * as k8s from "@kubernetes/client-node";
import { setting } from "../../harness/config/settings.js";
import { withRetry } from "../../harness/kube/retry.js";
import { WaitTimeout } from "../../harness/kube/watch.js";
import { measure } from "../../harness/report/measure.js";
import { podName } from "../../harness/statefulset/naming.js";
import type { BoundMember, Expansion } from "../../harness/storage/capability-checks.js";
import { runExpectations, volumeTopology, type Expectations } from "../../harness/storage/expectations.js";
import { latencyName } from "../../harness/storage/findings.js";
import { quantityBytes, type LatencyOperation, type Topology } from "../../harness/storage/profile.js";
import { Inconclusive } from "../../harness/verdict/verdict.js";
import { claimName } from "../../fixtures/web-statefulset.js";
import { dataDir } from "../../fixtures/web-pod.js";
import { describeClaim } from "./observations.js";
import type { Scenario } from "./scenario.js";

/** The run's expectations of its StorageClass (the global setup exports them before any test). */
export function expectations(): Expectations {
  const e = runExpectations();
  if (!e) throw new Inconclusive("the run's storage expectations are missing: the global setup did not export them");
  return e;
}

/** The topology a test expects of the class: claimed or inferred, or, with nothing to infer it from, what `volume` shows. */
export function expectedTopology(pv: k8s.V1PersistentVolume | undefined): Topology {
  const t = expectations().topology;
  return t.asSeen ? volumeTopology(pv).topology : t.value;
}

/** Records one latency sample of `operation` for the storage run's table. */
export const measureLatency = (operation: LatencyOperation, ms: number): Promise<void> =>
  measure(latencyName(operation), ms);

/** Members 0..n-1 as bound now: pod, its node and the node's labels, claim, volume. */
export async function boundMembers(s: Scenario, n: number): Promise<BoundMember[]> {
  const nodes = new Map(
    (await withRetry(() => s.kube.core.listNode())).items.map((x) => [
      x.metadata?.name ?? "",
      x.metadata?.labels ?? {},
    ]),
  );
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const pod = await withRetry(() =>
        s.kube.core.readNamespacedPod({ namespace: s.namespace, name: podName(s.set, i) }),
      );
      const node = pod.spec?.nodeName ?? "";
      const claim = await s.probe.claim(claimName(s.set, i));
      return {
        pod: podName(s.set, i),
        node,
        nodeLabels: nodes.get(node) ?? {},
        claim,
        volume: await s.probe.volume(claim),
      };
    }),
  );
}

/** The size of the filesystem a member sees at its data directory, in bytes. */
async function filesystemBytes(s: Scenario, ordinal: number): Promise<number> {
  const kib = Number((await s.probe.sh(ordinal, `df -k ${dataDir} | awk 'NR == 2 { print $2 }'`)).trim());
  if (!Number.isFinite(kib) || kib <= 0)
    throw new Inconclusive(`df of ${dataDir} in ${podName(s.set, ordinal)} said nothing usable`);
  return kib * 1024;
}

const sizeOf = (c: k8s.V1PersistentVolumeClaim) => quantityBytes(c.status?.capacity?.storage ?? setting("claimSize"));

/**
 * Grows member `ordinal`'s claim to twice its capacity by updating the claim (a set's claim
 * template cannot change), then waits up to `budgetS` for the claim to report the new capacity
 * with no resize pending (the kubelet reports it once the filesystem grew). What it came to, with
 * the filesystem's size before and after and whether the member's data stayed the same.
 */
export async function growClaim(
  s: Scenario,
  ordinal: number,
  budgetS: number,
): Promise<{ expansion: Expansion; ms: number }> {
  const name = claimName(s.set, ordinal);
  const payload = await s.probe.writePayload(ordinal);
  const fsBefore = await filesystemBytes(s, ordinal);
  const requestedBytes = 2 * sizeOf(await s.probe.claim(name));
  const started = Date.now();
  try {
    await withRetry(async () => {
      const c = await s.probe.claim(name);
      c.spec = { ...c.spec, resources: { ...c.spec?.resources, requests: { storage: String(requestedBytes) } } };
      await s.kube.core.replaceNamespacedPersistentVolumeClaim({ namespace: s.namespace, name, body: c });
    });
  } catch (e) {
    const code = (e as { code?: number }).code;
    if (code !== 403 && code !== 422) throw e;
    const body = (e as { body?: unknown }).body;
    const message =
      typeof body === "string" ? ((JSON.parse(body) as { message?: string }).message ?? body) : String(body);
    return { expansion: { kind: "refused", why: message }, ms: Date.now() - started };
  }
  const resized = (c: k8s.V1PersistentVolumeClaim) =>
    sizeOf(c) >= requestedBytes &&
    !(c.status?.conditions ?? []).some((x) => x.type.endsWith("ResizePending") || x.type === "Resizing");
  try {
    await s.observe.claim(name, `grown to ${requestedBytes} bytes`, resized, budgetS * 1000);
  } catch (e) {
    if (!(e instanceof WaitTimeout)) throw e;
    return {
      expansion: {
        kind: "not grown",
        why: `claim ${name}: ${describeClaim(await s.probe.claim(name))}`,
        waitedS: budgetS,
      },
      ms: Date.now() - started,
    };
  }
  const ms = Date.now() - started;
  const after = await s.probe.claim(name);
  return {
    expansion: {
      kind: "grown",
      requestedBytes,
      capacityBytes: sizeOf(after),
      fsBefore,
      fsAfter: await filesystemBytes(s, ordinal),
      dataKept: (await s.probe.payloads(ordinal + 1)).get(podName(s.set, ordinal)) === payload,
    },
    ms,
  };
}
