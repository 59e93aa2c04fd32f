// The environment is not the guarantee. When what surrounds StatefulSets is broken, the suite
// says so: preflight in one line with exit code 2, or an inconclusive verdict naming the cause;
// never a BROKEN guarantee, never a stack trace, and quickly. Each case is made real here.
import { describe, expect } from "@jest/globals";
import { execa } from "execa";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../harness/config/paths.js";
import { setting, settingsEnv } from "../harness/config/settings.js";
import { Timeouts } from "../harness/config/timeouts.js";
import { ExitCode } from "../harness/errors/harness-error.js";
import { temporaryStorageClass } from "../harness/faults/storage-class.js";
import { runNamespaces } from "../harness/run/cleanup.js";
import { Labels } from "../harness/kube/labels.js";
import { createTestNamespace, deleteTestNamespace } from "../harness/kube/namespace.js";
import { dnsUnreachable, searchPath } from "../harness/kube/dns.js";
import { runPod } from "../harness/kube/pods.js";
import { waitFor } from "../harness/kube/watch.js";
import { watchOf } from "../harness/kube/watch-of.js";
import { measure } from "../harness/report/measure.js";
import { attach, step } from "../harness/report/step.js";
import { podName } from "../harness/statefulset/naming.js";
import { checkReverseTermination } from "../harness/checks/ordering.js";
import { claim } from "../fixtures/claim.js";
import { oneShotPod } from "../fixtures/one-shot-pod.js";
import { fixtureImage } from "../harness/config/image-build.js";
import { withKubeconfigWithoutRights } from "./support/credentials.js";
import { preflightRefusal } from "./support/preflight-refusal.js";
import { scenarioTest } from "./support/scenario-test.js";
import { target } from "./support/target.js";

describe("Environment diagnosis: the environment is not the guarantee", () => {
  scenarioTest(
    { about: "Environment", says: "credentials without the suite's rights are refused by preflight in one line" },
    async (s) => {
      const refusal = await withKubeconfigWithoutRights(s, (kubeconfig) =>
        step("act: preflight with the credentials of a service account with no rights", () =>
          preflightRefusal({ kubeconfigPath: kubeconfig }),
        ),
      );
      expect(refusal.message).toMatch(
        /^the kubeconfig's user system:serviceaccount:\S+:no-rights may not: .*create namespaces, .*list storageclasses/,
      );
    },
  );

  scenarioTest(
    { about: "Environment", says: "a StorageClass that cannot provision is named by preflight" },
    async (s) => {
      const name = `sts-nowhere-${s.namespace.slice(-5)}`;
      await step("arrange: a StorageClass whose provisioner does not exist", () =>
        s.act.apply(
          temporaryStorageClass(s.kube, {
            metadata: { name },
            provisioner: "example.invalid/nowhere",
            volumeBindingMode: "Immediate",
          }),
        ),
      );
      const refusal = await step("act: preflight with that class", () =>
        // The diagnosis is what is tested, not the budget (STS_CANARY_S, 60 s by default): a short one.
        preflightRefusal(target(), { storageClass: name, canaryMs: 15_000 }),
      );
      expect(refusal.message).toMatch(new RegExp(`^StorageClass "${name}" did not provision a volume within`));
    },
  );

  // Confined to this test's pods: cluster DNS itself stays up for the rest of the run. A resolver
  // nobody listens at refuses every query, as cluster DNS with no endpoints does (kube-proxy rejects).
  scenarioTest(
    {
      about: "Environment",
      says: "with DNS not answering from pods, preflight says so in one line and DNS checks are inconclusive",
    },
    async (s) => {
      await step("arrange: a set of 1 to look names up from", () => s.readySet({ replicas: 1 }));
      const silent = "127.0.0.1";
      await step(
        `observe: a lookup through ${silent} (nothing listens) gets no answer, which DNS checks call inconclusive`,
        async () =>
          expect(dnsUnreachable(await s.probe.sh(0, `nslookup kubernetes.default ${silent} 2>&1 || true`))).toBe(true),
      );
      const searches = searchPath(await s.probe.sh(0, "cat /etc/resolv.conf"));
      const refusal = await step(`act: preflight, its canary pod resolving through ${silent}`, () =>
        preflightRefusal(target(), { canaryDns: { nameservers: [silent], searches } }),
      );
      expect(refusal.message).toMatch(/^cluster DNS does not answer from a pod/);
    },
  );

  scenarioTest(
    { about: "Environment", says: "a pod deleted from outside makes a failing check inconclusive, naming it" },
    async (s) => {
      await step("arrange: an OrderedReady set of 3, Ready", () => s.readySet({ replicas: 3 }));
      const from = await s.recorder.markAction("from here, every deletion of the set's pods must be explained");
      const uid = (await s.probe.identity(0)).uid;
      await step("act, as an outsider (no mark): delete web-0", () =>
        s.kube.core.deleteNamespacedPod({ namespace: s.namespace, name: podName(s.set, 0) }),
      );
      await step("observe: web-0 replaced and Ready", () =>
        s.observe.readyPod(0, "a new UID", (p) => p.metadata?.uid !== uid),
      );
      await step("assert: G15's check sees web-0 go before web-2, and says inconclusive, naming web-0", () =>
        expect(s.check.held(() => checkReverseTermination(s.recorder.entries, s.set, from))).rejects.toThrow(
          /^INCONCLUSIVE: the scenario was disturbed from outside: web-0 was deleted at #\d+/,
        ),
      );
    },
  );

  scenarioTest(
    { about: "Environment", says: "volumes of a Retain class are left and listed, and do not hold up cleanup" },
    async (s) => {
      const name = `sts-retain-${s.namespace.slice(-5)}`;
      const base = await s.kube.storage.readStorageClass({ name: setting("storageClassInUse") });
      await step("arrange: the run's StorageClass, but with reclaimPolicy Retain", () =>
        s.act.apply(
          temporaryStorageClass(s.kube, {
            metadata: { name },
            provisioner: base.provisioner,
            parameters: base.parameters,
            volumeBindingMode: base.volumeBindingMode,
            reclaimPolicy: "Retain",
          }),
        ),
      );
      const other = await createTestNamespace(s.kube, "retain class");
      await step("arrange: a claim of that class, bound and written, in a namespace of its own", async () => {
        await s.kube.core.createNamespacedPersistentVolumeClaim({
          namespace: other,
          body: claim({ name: "data", storageClass: name }),
        });
        const image = fixtureImage();
        const writer = oneShotPod({
          name: "writer",
          image,
          script: "echo kept > /data/kept",
          claims: { data: "/data" },
        });
        expect((await runPod(s.kube, other, writer)).succeeded).toBe(true);
      });
      const started = Date.now();
      const retained = await step("act: delete that namespace", () => deleteTestNamespace(s.kube, other));
      await measure("namespace deletion with a retained volume", Date.now() - started);
      try {
        expect(retained).toHaveLength(1);
        expect(Date.now() - started).toBeLessThan(Timeouts.namespaceDeleteMs);
      } finally {
        // The suite made this volume: it removes it, as a user would remove theirs by hand.
        for (const pv of retained) await s.kube.core.deletePersistentVolume({ name: pv });
      }
    },
  );

  scenarioTest(
    { about: "Environment", says: "SIGTERM to the CLI's own process stops the tests at once, then cleans up" },
    async (s) => {
      const run = `sigterm-${s.namespace.slice(-5)}`;
      const reports = mkdtempSync(join(tmpdir(), "sts-sigterm-"));
      const args = ["bin/sts-conformance.js", "run", "--skip-preflight", "--focus", "G14"];
      const child = execa(
        process.execPath,
        [...args, "--kubeconfig", setting("kubeconfig") ?? "", "--context", setting("context")],
        {
          cwd: repoRoot,
          reject: false,
          all: true,
          // A run of its own (id, reports); never the parent's cluster to delete.
          env: settingsEnv({ runId: run, reportsDir: reports, createdCluster: "" }),
        },
      );
      await step("observe: the child run has started a test", () =>
        waitFor(s.kube, {
          watch: watchOf.runNamespaces(s.kube, `${Labels.run}=${run},${Labels.test}`),
          what: "a test namespace of the child run",
          timeoutMs: Timeouts.setSettleMs,
          until: (current) => current.size > 0,
        }),
      );
      const sent = Date.now();
      process.kill(child.pid ?? 0, "SIGTERM"); // its own PID only, as a CI supervisor does (no forced kill after)
      const r = await child;
      await measure("SIGTERM to exit", Date.now() - sent);
      await attach("the child's output", r.all ?? "");
      expect(r.exitCode).toBe(ExitCode.Interrupted);
      expect(Date.now() - sent).toBeLessThan(Timeouts.interruptCleanupMs);
      expect(await runNamespaces(s.kube, run)).toEqual([]);
    },
  );
});
