// `upgrade watch` over a long run, simulated: hours of a node-pool upgrade's churn made faster on
// the suite's kind cluster (created or reused, kept): a gate prepared in its own namespace, its
// watch started, then for MINUTES a member deleted every few seconds (the set makes it again), a
// worker cordoned and uncordoned, and the API server restarted every few minutes (the watch's
// streams fail and resume). Every 10 s: the recording process's RSS, the recording's size and its
// entries. Not a test: numbers (reports/long-watch.json), to show the memory follows what changed,
// never the time. The cordon is undone and the namespace removed whatever happens.
//   npx tsx harness/tools/long-watch.ts [MINUTES]   (default 20)
import { execa } from "execa";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { KindNode } from "../cluster/kind-node.js";
import { ensureKindCluster } from "../cluster/provision.js";
import { appLabel } from "../../fixtures/web-pod.js";
import { paths, repoRoot } from "../config/paths.js";
import { deepestProcess, rssMb } from "./process-tree.js";
import { cordon } from "../faults/cordon.js";
import { Kube } from "../kube/client.js";
import type { Recording } from "../upgrade/recording.js";

const minutes = Number(process.argv[2] ?? 20);
const namespace = "sts-long-watch";
const say = (line: string) => process.stderr.write(`[long-watch] ${line}\n`);
const cli = (...args: string[]) =>
  execa("node", [join(repoRoot, "bin", "sts-conformance.js"), ...args, "--namespace", namespace], {
    stdout: "inherit",
    stderr: "inherit",
  });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms)); // eslint-disable-line no-restricted-syntax -- the churn's pace

const cluster = await ensureKindCluster({ log: say });
const kube = Kube.fromTarget(cluster);
const recordingPath = join(paths.reportsDir, "upgrade", namespace, "recording.json");
await cli("upgrade", "prepare");
const watch = execa(
  "node",
  [join(repoRoot, "bin", "sts-conformance.js"), "upgrade", "watch", "--namespace", namespace],
  {
    stdout: "ignore",
    stderr: "ignore",
    reject: false,
  },
);

interface Sample {
  minute: number;
  rssMb: number;
  recordingKb: number;
  entries: number;
}
const samples: Sample[] = [];
const started = Date.now();
const deadline = started + minutes * 60_000;
const worker = `${cluster.name}-worker`;
const controlPlane = await KindNode.of(`${cluster.name}-control-plane`);
const workerCordon = cordon(kube, worker);
let restarts = 0;
let deletions = 0;
let cordons = 0;
try {
  await pause(5000);
  const pid = await deepestProcess(watch.pid ?? 0);
  say(`watch recorder PID ${pid}; churning for ${minutes} min`);
  let lastSample = 0;
  let lastRestart = Date.now();
  for (let i = 0; Date.now() < deadline; i++) {
    const pods = await kube.core.listNamespacedPod({ namespace, labelSelector: appLabel }).catch(() => undefined);
    const members = (pods?.items ?? []).map((p) => p.metadata?.name ?? "").filter((n) => /-\d+$/.test(n));
    const victim = members[i % Math.max(1, members.length)];
    if (victim) {
      await kube.core.deleteNamespacedPod({ name: victim, namespace }).then(
        () => deletions++,
        () => undefined,
      );
    }
    if (i % 6 === 0) {
      await (i % 12 === 0 ? workerCordon.apply() : workerCordon.undo()).then(
        () => cordons++,
        () => undefined,
      );
    }
    if (Date.now() - lastRestart > 180_000) {
      await controlPlane.restartApiServer().then(
        () => restarts++,
        () => undefined,
      );
      lastRestart = Date.now();
    }
    if (Date.now() - lastSample >= 10_000 && existsSync(recordingPath)) {
      lastSample = Date.now();
      const r = JSON.parse(readFileSync(recordingPath, "utf8")) as Recording;
      samples.push({
        minute: (Date.now() - started) / 60_000,
        rssMb: rssMb(pid) ?? 0,
        recordingKb: statSync(recordingPath).size / 1024,
        entries: Object.values(r.timelines).reduce((n, t) => n + t.length, 0),
      });
      const s = samples.at(-1);
      if (s)
        say(
          `${s.minute.toFixed(1)} min: RSS ${s.rssMb.toFixed(0)} MB, recording ${s.recordingKb.toFixed(0)} KB, ${s.entries} entries`,
        );
    }
    await pause(5000);
  }
} finally {
  await workerCordon.undo(); // marked: if this never runs, the next run's sweep uncordons it
  watch.kill("SIGTERM");
  await watch;
  await cli("upgrade", "clean");
}

const first = samples.slice(0, 6);
const last = samples.slice(-6);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const summary = {
  minutes,
  deletions,
  cordons,
  apiServerRestarts: restarts,
  rssFirstMinuteMb: mean(first.map((s) => s.rssMb)),
  rssLastMinuteMb: mean(last.map((s) => s.rssMb)),
  entriesFirst: first[0]?.entries ?? 0,
  entriesLast: last.at(-1)?.entries ?? 0,
  samples,
};
writeFileSync(join(paths.reportsDir, "long-watch.json"), `${JSON.stringify(summary, null, 2)}\n`);
say(
  `${deletions} members deleted, ${cordons} cordons, ${restarts} API server restarts; RSS ${summary.rssFirstMinuteMb.toFixed(0)} → ${summary.rssLastMinuteMb.toFixed(0)} MB; entries ${summary.entriesFirst} → ${summary.entriesLast} (reports/long-watch.json)`,
);
