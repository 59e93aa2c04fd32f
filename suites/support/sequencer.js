// Jest test sequencer. Files whose tests take turns on the nodes kept for node faults
// (`s.onFaultNode(…)`) go first, as the run's longest chains; files with a test that needs the
// cluster to itself (`s.alone(…)`) go last, where their wait at the run's gate costs only the
// tail. In between, the longest first, by the durations the benchmark last measured
// (file-durations.json: Jest's own timing cache is per checkout path, so a fresh clone, as in
// CI, would otherwise start the long files late and wait for them at the end).
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import Sequencer from "@jest/test-sequencer";

const uses = (path, call) => readFileSync(path, "utf8").includes(call);
const measured = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), "file-durations.json"), "utf8"));

export default class ClusterSequencer extends Sequencer {
  async sort(tests) {
    const ordered = await super.sort(tests);
    const rank = (t) => (uses(t.path, ".onFaultNode(") ? 0 : uses(t.path, ".alone(") ? 2 : 1);
    const seconds = (t) => measured[relative(t.context.config.rootDir, t.path)] ?? 0;
    // stable: Jest's own order among files of equal rank and no measured duration
    return [...ordered].sort((a, b) => rank(a) - rank(b) || seconds(b) - seconds(a));
  }
}
