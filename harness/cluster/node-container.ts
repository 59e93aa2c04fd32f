// A kind node is a Docker container named after the node. Node faults act on it through
// testcontainers' container-runtime client (the Docker API), never through shell strings: a
// stopped or paused container, a stopped kubelet, partition rules. What is changed can be read
// back, so an undo is verified and an interrupted run's leftovers can be found and undone.
import type * as k8s from "@kubernetes/client-node";
import type Dockerode from "dockerode";
import pRetry from "p-retry";
import { getContainerRuntimeClient } from "testcontainers";
import { HarnessError } from "../errors/harness-error.js";
import { Inconclusive } from "../verdict/verdict.js";

/** The comment the partition's iptables rules carry: how the undo finds exactly them. */
const partitionTag = "sts-conformance-partition";

/** Runs a command in the node's container; its stdout (containerd's tools warn on stderr). */
type Exec = (cmd: string[], o?: { anyExit: boolean }) => Promise<string>;

async function container(node: string): Promise<{ c: Dockerode.Container; exec: Exec }> {
  const client = await getContainerRuntimeClient();
  const c = client.container.getById(node);
  const exec: Exec = async (cmd, o) => {
    const r = await client.container.exec(c, cmd);
    if (r.exitCode !== 0 && !o?.anyExit)
      throw new HarnessError(`in kind node ${node}: ${cmd.join(" ")} exited ${r.exitCode}: ${r.output.trim()}`);
    return r.stdout;
  };
  return { c, exec };
}

/** The control socket of the node's sts-lazyfs (harness/images/lazyfs), the StorageClass lazyfs's filesystem. */
const lazyfsControl = "/run/sts-lazyfs.sock";

/**
 * A power cut: the node's sts-lazyfs forgets every write not yet fsynced (what a real power cut
 * takes from a page cache; the host's page cache, which a killed container cannot lose, holds only
 * what was fsynced), then the container is killed, not shut down, so nothing on the node gets to
 * flush or say goodbye. Its disk (and the local-path volumes on it) stays for the start. Returns
 * what sts-lazyfs forgot ("forgot 1234 unsynced bytes in 2 files"), or why nothing was.
 */
export async function stopNode(node: string): Promise<string> {
  const { c, exec } = await container(node);
  const forgot = (
    await exec(["sh", "-c", `[ -S ${lazyfsControl} ] || exit 0; sts-lazyfs ctl ${lazyfsControl} power-cut`])
  ).trim();
  await c.kill();
  // A node still running was not cut: its recovery would be timed for nothing.
  if ((await c.inspect()).State.Running) throw new Inconclusive(`node stop not applied: ${node} still runs`);
  return forgot || "no sts-lazyfs on the node: only the container killed";
}

/**
 * The node's container frozen (cgroup freezer). On a loaded host the freezer can fail to settle
 * within runc's own wait ("unable to freeze"; runc thaws it again): asked again, a few times.
 */
export async function pauseNode(node: string): Promise<void> {
  const { c } = await container(node);
  await pRetry(() => c.pause(), {
    retries: 4,
    minTimeout: 500,
    shouldRetry: ({ error }) => /unable to freeze/.test(error.message),
  });
}

export async function stopKubelet(node: string): Promise<void> {
  await (await container(node)).exec(["systemctl", "stop", "kubelet"]);
}

/** Both address families: a dual-stack or IPv6 cluster is cut off as surely as an IPv4 one. */
const firewalls = ["iptables", "ip6tables"] as const;

/**
 * Cuts the node off the network (the control plane, the other nodes, their pods): every packet in
 * or out of its eth0, and every packet its pods exchange through it, is dropped, IPv4 and IPv6.
 */
export async function partitionNode(node: string): Promise<void> {
  const { exec } = await container(node);
  for (const fw of firewalls) {
    const drop = (chain: string, dir: "-i" | "-o") =>
      exec([fw, "-I", chain, dir, "eth0", "-m", "comment", "--comment", partitionTag, "-j", "DROP"]);
    await drop("INPUT", "-i");
    await drop("OUTPUT", "-o");
    await drop("FORWARD", "-i");
    await drop("FORWARD", "-o");
  }
}

/** The partition's rules in place, per firewall, as `iptables -S` prints them. */
const partitionRules = async (exec: Exec) =>
  Promise.all(
    firewalls.map(async (fw) => ({
      fw,
      rules: (await exec([fw, "-S"])).split("\n").filter((l) => l.includes(partitionTag)),
    })),
  );

/** systemd's word for the kubelet's state: "active" when it runs. */
const kubeletState = async (exec: Exec) =>
  (await exec(["systemctl", "is-active", "kubelet"], { anyExit: true })).trim();

/**
 * Whether a kind node's container is no longer at the address its Node reports, in words. kind
 * fixes each kubelet's node IP at creation; a container started again may get another address
 * (a Docker restart swapped two workers'), and the API server then reaches the wrong kubelet for
 * logs and exec (seen: a 404 for a pod's log) while the node still looks Ready.
 */
export async function nodeMoved(n: k8s.V1Node): Promise<string | undefined> {
  const name = n.metadata?.name ?? "";
  const networks = (await (await container(name)).c.inspect()).NetworkSettings.Networks;
  const actual = Object.values(networks).flatMap((net) => [net.IPAddress, net.GlobalIPv6Address].filter(Boolean));
  const said = (n.status?.addresses ?? []).filter((a) => a.type === "InternalIP").map((a) => a.address);
  const stale = said.filter((a) => !actual.includes(a));
  return stale.length > 0 ? `${name} is at ${actual.join(", ")}, its Node says ${stale.join(", ")}` : undefined;
}

/**
 * The API server crashes (SIGKILL) and its kubelet, restarted with it, starts it again at once.
 * Killed alone, it would be restarted under the kubelet's crash-loop back-off, which doubles with
 * each restart within ten minutes (10 s … 5 min): the pace of the suite's faults, not the API
 * server's recovery (a 30-minute chaos run lost its API server for minutes at the fifth kill).
 * Setting its static pod aside instead was tried: the kubelet then spends up to 40 s failing to
 * delete the mirror pod from the API server that is down.
 */
export async function restartApiServer(node: string): Promise<string> {
  const { exec } = await container(node);
  const pid = await apiServerPid(node);
  // Nothing to kill is a fault not applied, never a restart that recovered at once.
  if (pid === undefined) throw new Inconclusive(`API server restart not applied: no kube-apiserver process on ${node}`);
  await exec(["kill", "-9", pid]);
  await exec(["systemctl", "restart", "kubelet"]);
  return pid;
}

/** The PID of the API server's process on a kind node, if one runs. */
export async function apiServerPid(node: string): Promise<string | undefined> {
  const { exec } = await container(node);
  return (await exec(["pgrep", "-o", "-x", "kube-apiserver"], { anyExit: true })).trim() || undefined;
}

/** What is changed on the node's container, in words; empty when it is as the suite found it. */
export async function nodeContainerChanges(node: string): Promise<string[]> {
  const { c, exec } = await container(node);
  const state = (await c.inspect()).State;
  if (!state.Running) return ["its container is stopped"]; // nothing else can be read
  if (state.Paused) return ["its container is paused"];
  const changes: string[] = [];
  const kubelet = await kubeletState(exec);
  if (kubelet !== "active") changes.push(`its kubelet is ${kubelet}`);
  const rules = (await partitionRules(exec)).flatMap((r) => r.rules);
  if (rules.length > 0) changes.push(`${rules.length} partition rule(s) in place`);
  return changes;
}

/** Undoes every node fault the suite knows on this node's container; a no-op on an unchanged one. */
export async function restoreNodeContainer(node: string): Promise<void> {
  const { c, exec } = await container(node);
  const state = (await c.inspect()).State;
  // A fresh boot has no partition rules and its systemd starts the kubelet: nothing more to undo.
  if (!state.Running) return void (await c.start());
  if (state.Paused) await c.unpause();
  for (const { fw, rules } of await partitionRules(exec))
    for (const rule of rules) await exec([fw, ...rule.trim().replace(/^-A /, "-D ").split(/\s+/)]);
  if ((await kubeletState(exec)) !== "active") await exec(["systemctl", "start", "kubelet"]);
}
