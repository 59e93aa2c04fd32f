// Jest test sequencer: Jest's own order (slowest and failed first), except
// that files with a test that needs the cluster to itself (`s.alone(…)`) go last. They wait at the
// run's gate until the tests before them are done: at the end of the run, only for the tail.
import { readFileSync } from "node:fs";
import Sequencer from "@jest/test-sequencer";

const needsClusterAlone = (path) => readFileSync(path, "utf8").includes(".alone(");

export default class ClusterSequencer extends Sequencer {
  async sort(tests) {
    const ordered = await super.sort(tests);
    return [...ordered.filter((t) => !needsClusterAlone(t.path)), ...ordered.filter((t) => needsClusterAlone(t.path))];
  }
}
