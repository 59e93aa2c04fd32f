// Smoke test: the target cluster can run the suite at all. Real nodes, real CoreDNS, real
// local-path storage; on the air-gapped kind cluster, proof that nothing was ever pulled.
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test as jestTest } from "@jest/globals";
import { execa } from "execa";
import { titleOf, type TestMeta } from "../../harness/catalogue/test-meta.js";
import { KindCli } from "../../harness/cluster/kind.js";
import { faultNodeKey } from "../../harness/config/fault-node-key.js";
import { fixtureImage } from "../../harness/config/image-build.js";
import { Timeouts } from "../../harness/config/timeouts.js";
import type { Kube } from "../../harness/kube/client.js";
import { faultedByRun } from "../../harness/faults/recoveries.js";
import { runId } from "../../harness/kube/labels.js";
import { isNodeReady } from "../../harness/kube/nodes.js";
import { credentialsRefused, oneLineIfRefused } from "../../harness/kube/refused.js";
import { createSharedNamespace, enterShared, releaseSharedNamespace } from "../../harness/run/gate.js";
import { runPod, waitForSystemPodsReady } from "../../harness/kube/pods.js";
import { noteSkipped } from "../../harness/report/skipped.js";
import { attach, step } from "../../harness/report/step.js";
import { claim } from "../../fixtures/claim.js";
import { oneShotPod } from "../../fixtures/one-shot-pod.js";
import { kindClusterName } from "../../harness/run/conditions.js";
import { Inconclusive } from "../../harness/verdict/verdict.js";
import { metaTest } from "../support/scenario-test.js";
import { targetKube } from "../support/target.js";

const onKind = kindClusterName() !== undefined;

/**
 * A smoke check is about the environment, never a guarantee: when it fails (a node NotReady, an
 * image pulled) the run cannot be judged, so the failure is inconclusive, not BROKEN.
 */
function environmentCheck(meta: TestMeta, fn: () => Promise<void>, timeoutMs?: number): void {
  metaTest(
    meta,
    async () => {
      try {
        await fn();
      } catch (e) {
        if (credentialsRefused(e)) throw oneLineIfRefused(e);
        if (e instanceof Inconclusive) throw e;
        throw new Inconclusive(`the cluster cannot run the suite: ${(e as Error).message}`, { cause: e });
      }
    },
    timeoutMs === undefined ? {} : { timeoutMs },
  );
}
const test = environmentCheck;
/** A check of the air-gapped kind cluster's own images: skipped elsewhere, saying so. */
const kindOnly = onKind
  ? environmentCheck
  : (meta: TestMeta, fn: () => Promise<void>) => {
      noteSkipped(titleOf(meta), {
        reason: "about the images of the suite's air-gapped kind cluster: not this cluster's",
      });
      jestTest.skip(titleOf(meta), fn);
    };

describe("cluster smoke: the target can run StatefulSet scenarios", () => {
  let kube: Kube;
  let ns: string;

  beforeAll(async () => {
    kube = targetKube();
    // at the run's gate like every scenario: an exclusive test's API server restart waits for these
    try {
      ns = await createSharedNamespace(kube, "smoke");
      await enterShared(kube, ns);
    } catch (e) {
      throw oneLineIfRefused(e);
    }
  });
  afterAll(async () => {
    if (!ns) return;
    await releaseSharedNamespace(kube, ns);
  });

  test({ says: "every node is Ready (but one this run has a fault on)" }, async () => {
    const nodes = await kube.core.listNode();
    // the node-loss tests pause and stop the fault nodes meanwhile: that is the suite, not the cluster
    const notReady = nodes.items.filter((n) => !isNodeReady(n) && !faultedByRun(n, runId));
    expect(notReady.map((n) => n.metadata?.name)).toEqual([]);
    if (onKind) expect(nodes.items.length).toBeGreaterThanOrEqual(3); // kind-config.yaml: 1 control plane, 2 shared workers, the fault nodes
  });

  test(
    { says: "every system pod a controller or node runs (kube-system, local-path-storage) is Running and Ready" },
    async () => {
      // but those on the fault nodes: the node-loss and power-loss tests take them down meanwhile
      const faultNodes = (await kube.core.listNode({ labelSelector: faultNodeKey })).items.map(
        (n) => n.metadata?.name ?? "",
      );
      for (const namespace of ["kube-system", ...(onKind ? ["local-path-storage"] : [])]) {
        await step(`every pod in ${namespace} Running and Ready`, () =>
          waitForSystemPodsReady(kube, namespace, Timeouts.podStartMs, faultNodes),
        );
      }
    },
  );

  kindOnly(
    { needs: ["kind-cluster"], says: "no image pull was ever attempted: every image was on the nodes already" },
    async () => {
      const events = await kube.core.listEventForAllNamespaces({ fieldSelector: "reason=Pulling" });
      const pulls = events.items.map((e) => `${e.involvedObject.namespace}/${e.involvedObject.name}: ${e.message}`);
      expect(pulls).toEqual([]);
    },
  );

  test({ says: "a pod resolves kubernetes.default through the cluster DNS (cluster domain discovered)" }, async () => {
    const svc = await kube.core.readNamespacedService({ namespace: "default", name: "kubernetes" });
    // The cluster domain is read from the pod's own resolv.conf search list (svc.<domain>).
    const script = [
      "domain=$(sed -n 's/^search //p' /etc/resolv.conf | tr ' ' '\\n' | sed -n 's/^svc\\.//p' | head -n1)",
      'echo "domain=$domain"',
      'nslookup "kubernetes.default.svc.$domain"',
    ].join("\n");
    const run = await step("run a DNS client pod", () =>
      runPod(kube, ns, oneShotPod({ name: "dns-client", image: fixtureImage(), script })),
    );
    await attach("dns-client output", run.logs);
    expect(run.succeeded).toBe(true);
    const answers = [...run.logs.matchAll(/Address:\s*([0-9.]+)(?!:\d)\s*$/gm)].map((m) => m[1]);
    expect(answers).toContain(svc.spec?.clusterIP);
  });

  test({ says: "a PVC on the default StorageClass binds; what one pod writes, the next pod reads" }, async () => {
    const token = randomBytes(8).toString("hex");
    await kube.core.createNamespacedPersistentVolumeClaim({ namespace: ns, body: claim({ name: "data" }) });
    const writer = await step("a writer pod writes a token with fsync", () =>
      runPod(
        kube,
        ns,
        oneShotPod({
          name: "writer",
          image: fixtureImage(),
          script: `echo ${token} > /data/token && sync /data/token`,
          claims: { data: "/data" },
        }),
      ),
    );
    expect(writer.succeeded).toBe(true);
    const pvc = await kube.core.readNamespacedPersistentVolumeClaim({ namespace: ns, name: "data" });
    expect(pvc.status?.phase).toBe("Bound");
    const reader = await step("a second pod reads it back", () =>
      runPod(
        kube,
        ns,
        oneShotPod({ name: "reader", image: fixtureImage(), script: "cat /data/token", claims: { data: "/data" } }),
      ),
    );
    expect(reader.succeeded).toBe(true);
    expect(reader.logs.trim()).toBe(token);
  });

  kindOnly({ needs: ["kind-cluster"], says: "a locally built image loads into the cluster and runs" }, async () => {
    const token = randomBytes(8).toString("hex");
    const image = "sts.local/smoke-probe:1";
    await step("build an image locally with a fresh token in it", async () => {
      const dir = mkdtempSync(join(tmpdir(), "sts-probe-"));
      writeFileSync(join(dir, "token"), token);
      writeFileSync(join(dir, "Dockerfile"), `FROM ${fixtureImage()}\nCOPY token /token\n`);
      await execa("docker", ["build", "-q", "-t", image, dir], { env: { DOCKER_BUILDKIT: "0" } });
    });
    // Not onto the fault node, which the node-loss and power-loss tests stop meanwhile (a load onto a
    // stopped node fails), and where no pod of this test may go (its taint).
    const shared = (await kube.core.listNode({ labelSelector: `!${faultNodeKey}` })).items.map(
      (n) => n.metadata?.name ?? "",
    );
    const loaded = await step(`kind load docker-image (onto ${shared.join(", ")})`, () =>
      new KindCli().loadImage(kindClusterName() ?? "", image, shared),
    );
    expect(loaded.all).not.toMatch(/ERROR/);
    const run = await step("run it with imagePullPolicy Never", () =>
      runPod(kube, ns, oneShotPod({ name: "probe", image, pullPolicy: "Never", script: "cat /token" })),
    );
    expect(run.logs.trim()).toBe(token);
  });
});
