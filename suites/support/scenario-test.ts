// How a scenario runs as a Jest test: open, body, and whatever happened undo (verified), evidence
// on failure, timeline in the report, namespace deleted.
import { afterAll, afterEach, test } from "@jest/globals";
import { titleOf, type TestMeta } from "../../harness/catalogue/test-meta.js";
import { credentialsRefused, oneLineIfRefused } from "../../harness/kube/refused.js";
import { releaseSharedNamespace } from "../../harness/run/gate.js";
import { noteRetainedVolumes } from "../../harness/report/measure.js";
import { noteSkipped } from "../../harness/report/skipped.js";
import { attach, labelTest } from "../../harness/report/step.js";
import type { RunCondition } from "../../harness/run/conditions.js";
import { Inconclusive } from "../../harness/verdict/verdict.js";
import { Scenario } from "./scenario.js";

/**
 * Namespace deletions of this test file's scenarios. A test does not wait for its namespace's pods,
 * claims and volumes to go (a few seconds of pure cluster time), only for its deletion requests to
 * be made (it leaves the run's gate then); the file waits for the rest, in afterAll, and
 * fails if any deletion failed; the run's end waits for the namespace objects. Errors are captured
 * at once, so none goes unhandled.
 */
const deletions: Promise<Error | undefined>[] = [];
afterAll(async () => {
  const errors = (await Promise.all(deletions)).filter((e) => e !== undefined);
  if (errors.length > 0)
    throw new Error(`cleanup failed: ${errors.map((e) => credentialsRefused(e) ?? e.message).join("; ")}`);
});

/**
 * The running scenario, until its own cleanup starts. When Jest times a test out, its body is
 * abandoned and that cleanup may never run; afterEach still does.
 */
let running: Scenario | undefined;
afterEach(async () => {
  const s = running;
  running = undefined;
  await s?.undo.undoAll();
  await s?.leave();
});

export interface ScenarioOptions {
  /** Run only when this holds (e.g. disruptive faults allowed); otherwise skipped, with the reason. */
  runIf?: RunCondition;
  /** The test's own limit, for a test whose length is a setting (a chaos run); default Timeouts.clusterTestMs. */
  timeoutMs?: number;
}

/** Set once the cluster refused this worker's credentials: its later tests do not ask it again. */
let refused: string | undefined;

/**
 * Runs a test's work; credentials the cluster stopped accepting (401/403) end it inconclusive in
 * one line with the server's reason, not an HTTP dump, and the worker's later tests at once.
 */
async function refusedOnce(work: () => Promise<void>): Promise<void> {
  if (refused) throw new Inconclusive(`not run: the cluster refused the suite's credentials earlier (${refused})`);
  try {
    await work();
  } catch (e) {
    refused = credentialsRefused(e);
    throw oneLineIfRefused(e);
  }
}

/**
 * A test that runs `body` in a fresh scenario, after its turn at the run's gate (see s.alone): its undos always
 * run (verified), the evidence is attached on failure, the timeline always, and the namespace is
 * always deleted. Its title is built from its metadata.
 */
export function scenarioTest(meta: TestMeta, body: (s: Scenario) => Promise<void>): void;
export function scenarioTest(meta: TestMeta, o: ScenarioOptions, body: (s: Scenario) => Promise<void>): void;
export function scenarioTest(
  meta: TestMeta,
  ...args: [(s: Scenario) => Promise<void>] | [ScenarioOptions, (s: Scenario) => Promise<void>]
): void {
  const [o, body] = args.length === 1 ? [{}, args[0]] : args;
  const name = titleOf(meta);
  if (o.runIf && !o.runIf.holds) {
    noteSkipped(name, { reason: o.runIf.reason, ...(o.runIf.standIn ? { standIn: true as const } : {}) });
    return void test.skip(name, () => undefined);
  }
  test(
    name,
    () =>
      refusedOnce(async () => {
        await labelTest(meta);
        const s = await Scenario.open(name);
        running = s;
        let failed = false;
        /** A cleanup that fails after the test failed is reported beside its verdict, never instead of it. */
        const cleanup = async (what: string, work: () => Promise<void>) => {
          try {
            await work();
          } catch (e) {
            if (!failed) throw e;
            const refused = credentialsRefused(e);
            if (refused) return void process.stderr.write(`[${name}] ${what}: credentials refused: ${refused}\n`);
            process.stderr.write(`[${name}] ${what} failed after the test failed: ${String(e)}\n`);
            await attach(`${what} failed (after the test failed)`, String(e)).catch(() => undefined);
          }
        };
        try {
          await s.enter();
          await body(s);
        } catch (e) {
          failed = true;
          // Credentials that stopped working: one line with the server's reason, not an HTTP dump;
          // nothing more (evidence, the timeline) can be asked of the cluster.
          if (credentialsRefused(e)) throw e;
          await s.evidence();
          if (e instanceof Inconclusive) throw e;
          // The failure may be the doing of someone else who deleted the set's pods: say who, not BROKEN.
          await s.recorder.catchUp().catch(() => undefined); // best effort: the original failure stands otherwise
          const outside = s.check.outside();
          if (outside)
            throw new Inconclusive(`${outside}; the test failed with: ${String(e).split("\n")[0]}`, { cause: e });
          throw e;
        } finally {
          try {
            // before the gate lets others in: they must find the cluster as it was
            await cleanup("undoing its faults", () => s.undo.undoAll());
          } finally {
            running = undefined;
            await cleanup("closing the scenario", () => s.close(name));
            deletions.push(
              releaseSharedNamespace(s.kube, s.namespace, () => s.deletionRequested())
                .then((retained) => void noteRetainedVolumes(s.namespace, retained))
                .finally(() => s.release())
                .catch((e: Error) => e),
            );
          }
        }
      }),
    o.timeoutMs,
  );
}

/**
 * A test with no scenario of its own (it judges what an earlier step recorded, or the target
 * itself): its title built from its metadata, labelled like a scenario's.
 */
export function metaTest(meta: TestMeta, body: () => Promise<void>, o: ScenarioOptions = {}): void {
  const name = titleOf(meta);
  if (o.runIf && !o.runIf.holds) {
    noteSkipped(name, { reason: o.runIf.reason });
    return void test.skip(name, () => undefined);
  }
  test(
    name,
    async () => {
      await labelTest(meta);
      await body();
    },
    o.timeoutMs,
  );
}
