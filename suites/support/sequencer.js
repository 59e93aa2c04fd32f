// Jest test sequencer: Jest's own order (slowest and failed first), except that files whose tests
// take turns on the node reserved for node faults (`s.onFaultNode(…)`) go first, as the run's
// longest chain, and files with a test that needs the cluster to itself (`s.alone(…)`) go last:
// they wait at the run's gate until the tests before them are done, at the end only for the tail.
import { readFileSync } from "node:fs";
import Sequencer from "@jest/test-sequencer";

const uses = (path, call) => readFileSync(path, "utf8").includes(call);

export default class ClusterSequencer extends Sequencer {
  async sort(tests) {
    const ordered = await super.sort(tests);
    const rank = (t) => (uses(t.path, ".onFaultNode(") ? 0 : uses(t.path, ".alone(") ? 2 : 1);
    return [...ordered].sort((a, b) => rank(a) - rank(b)); // stable: Jest's order within a rank
  }
}
