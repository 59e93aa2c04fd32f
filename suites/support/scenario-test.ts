// How a scenario runs as a Jest test: open, body, and whatever happened undo (verified), evidence
// on failure, timeline in the report, namespace deleted.
import { afterAll, afterEach, test } from "@jest/globals";
import { deleteTestNamespace } from "../../harness/kube/namespace.js";
import { Scenario } from "./scenario.js";

/**
 * Namespace deletions of this test file's scenarios. A test does not wait for its namespace (and
 * volumes) to go, which takes about ten seconds of pure cluster time; the file does, in afterAll,
 * and fails if any deletion failed. Errors are captured at once, so none goes unhandled.
 */
const deletions: Promise<Error | undefined>[] = [];
afterAll(async () => {
  const errors = (await Promise.all(deletions)).filter((e) => e !== undefined);
  if (errors.length > 0) throw new Error(`cleanup failed: ${errors.map((e) => e.message).join("; ")}`);
});

/** The running scenario: when Jest times a test out, its body is abandoned but afterEach still runs. */
let running: Scenario | undefined;
afterEach(async () => {
  const s = running;
  running = undefined;
  await s?.undo.undoAll();
});

/**
 * A test that runs `body` in a fresh scenario: its undos always run (verified), the evidence is
 * attached on failure, the timeline always, and the namespace is always deleted.
 */
export function scenarioTest(name: string, body: (s: Scenario) => Promise<void>): void {
  test(name, async () => {
    const s = await Scenario.open(name);
    running = s;
    try {
      await body(s);
    } catch (e) {
      await s.evidence();
      throw e;
    } finally {
      await s.close();
      deletions.push(
        deleteTestNamespace(s.kube, s.namespace).then(
          () => undefined,
          (e: Error) => e,
        ),
      );
    }
  });
}

/** A scenario test that runs only when `condition` holds; otherwise reported as skipped. */
export function scenarioTestIf(condition: boolean, name: string, body: (s: Scenario) => Promise<void>): void {
  if (condition) scenarioTest(name, body);
  else test.skip(name, () => undefined);
}
