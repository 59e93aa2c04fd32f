// One handle on a kind node: the Docker container named after the node, reached through one Docker
// client (testcontainers' container-runtime client, the Docker API: its only use here) and never
// through shell strings on the host. Everything the suite does to a kind node goes through it:
// commands, copies, and the node faults the fault catalogue names (harness/chaos/catalogue.ts);
// what they change can be read back, so an undo is verified and an interrupted run's leftovers can
// be found and undone.
import { spawn } from "node:child_process";
import type * as k8s from "@kubernetes/client-node";
import type Dockerode from "dockerode";
import pRetry from "p-retry";
import { getContainerRuntimeClient } from "testcontainers";
import type { NodeContainer } from "../chaos/catalogue.js";
import { HarnessError } from "../errors/harness-error.js";
import { Inconclusive } from "../verdict/verdict.js";

/** The comment the partition's iptables rules carry: how the undo finds exactly them. */
const partitionTag = "sts-conformance-partition";
/** The control socket of the node's sts-lazyfs (harness/images/lazyfs), the StorageClass lazyfs's filesystem. */
const lazyfsControl = "/run/sts-lazyfs.sock";
/** Both address families: a dual-stack or IPv6 cluster is cut off as surely as an IPv4 one. */
const firewalls = ["iptables", "ip6tables"] as const;

/** A kind cluster's control-plane node: `<cluster>-control-plane` (its workers `<cluster>-worker`, `-worker2`, …). */
export const controlPlaneNode = (cluster: string): string => `${cluster}-control-plane`;

/** What a command in the node printed, and how it ended. */
export interface NodeExec {
  exitCode: number;
  /** stdout and stderr, interleaved. */
  output: string;
  stdout: string;
}

export class KindNode implements NodeContainer {
  private constructor(
    readonly name: string,
    private readonly client: Awaited<ReturnType<typeof getContainerRuntimeClient>>,
    private readonly container: Dockerode.Container,
  ) {}

  static async of(name: string): Promise<KindNode> {
    const client = await getContainerRuntimeClient();
    return new KindNode(name, client, client.container.getById(name));
  }

  /** Runs a command as root in the node, whatever its exit. */
  async run(cmd: string[]): Promise<NodeExec> {
    const r = await this.client.container.exec(this.container, cmd);
    return { exitCode: r.exitCode, output: r.output, stdout: r.stdout };
  }

  /** Runs a command in the node; its stdout (containerd's tools warn on stderr). Failing is one line, unless `anyExit`. */
  async exec(cmd: string[], o?: { anyExit: boolean }): Promise<string> {
    const r = await this.run(cmd);
    if (r.exitCode !== 0 && !o?.anyExit)
      throw new HarnessError(
        `in kind node ${this.name}: ${cmd.join(" ").slice(0, 120)} exited ${r.exitCode}: ${r.output.trim()}`,
      );
    return r.stdout;
  }

  /** Runs a shell script in the node; its stdout. */
  sh(script: string): Promise<string> {
    return this.exec(["sh", "-c", script]);
  }

  /** Copies a host directory's contents into a directory of the node (made if missing), as a tar stream. */
  async copyIn(hostDir: string, nodeDir: string): Promise<void> {
    await this.exec(["mkdir", "-p", nodeDir]);
    const tar = spawn("tar", ["-c", "-C", hostDir, "."], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    tar.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => tar.on("close", resolve));
    await this.client.container.putArchive(this.container, tar.stdout, nodeDir);
    const code = await exited;
    if (code !== 0)
      throw new HarnessError(`copying ${hostDir} into ${this.name}: tar exited ${code}: ${stderr.trim()}`);
  }

  private state = async () => (await this.container.inspect()).State;

  /**
   * A power cut: the node's sts-lazyfs forgets every write not yet fsynced (what a real power cut
   * takes from a page cache; the host's page cache, which a killed container cannot lose, holds only
   * what was fsynced), then the container is killed, not shut down, so nothing on the node gets to
   * flush or say goodbye. Its disk (and the local-path volumes on it) stays for the start. Returns
   * what sts-lazyfs forgot ("forgot 1234 unsynced bytes in 2 files"), or why nothing was.
   */
  async powerCut(): Promise<string> {
    const forgot = (
      await this.sh(`[ -S ${lazyfsControl} ] || exit 0; sts-lazyfs ctl ${lazyfsControl} power-cut`)
    ).trim();
    await this.container.kill();
    // A node still running was not cut: its recovery would be timed for nothing.
    if ((await this.state()).Running) throw new Inconclusive(`node stop not applied: ${this.name} still runs`);
    return forgot || "no sts-lazyfs on the node: only the container killed";
  }

  /**
   * The node's container frozen (cgroup freezer). On a loaded host the freezer can fail to settle
   * within runc's own wait ("unable to freeze"; runc thaws it again): asked again, a few times.
   */
  async pause(): Promise<void> {
    await pRetry(() => this.container.pause(), {
      retries: 4,
      minTimeout: 500,
      shouldRetry: ({ error }) => /unable to freeze/.test(error.message),
    });
  }

  async stopKubelet(): Promise<void> {
    await this.exec(["systemctl", "stop", "kubelet"]);
  }

  /**
   * Cuts the node off the network (the control plane, the other nodes, their pods): every packet in
   * or out of its eth0, and every packet its pods exchange through it, is dropped, IPv4 and IPv6.
   */
  async partition(): Promise<void> {
    for (const fw of firewalls) {
      const drop = (chain: string, dir: "-i" | "-o") =>
        this.exec([fw, "-I", chain, dir, "eth0", "-m", "comment", "--comment", partitionTag, "-j", "DROP"]);
      await drop("INPUT", "-i");
      await drop("OUTPUT", "-o");
      await drop("FORWARD", "-i");
      await drop("FORWARD", "-o");
    }
  }

  /**
   * The API server crashes (SIGKILL) and its kubelet, restarted with it, starts it again at once.
   * Killed alone, it would be restarted under the kubelet's crash-loop back-off, which doubles with
   * each restart within ten minutes (10 s … 5 min): the pace of the suite's faults, not the API
   * server's recovery (a 30-minute chaos run lost its API server for minutes at the fifth kill).
   * Setting its static pod aside instead was tried: the kubelet then spends up to 40 s failing to
   * delete the mirror pod from the API server that is down. Returns the killed process's PID.
   */
  async restartApiServer(): Promise<string> {
    const pid = await this.apiServerPid();
    // Nothing to kill is a fault not applied, never a restart that recovered at once.
    if (pid === undefined)
      throw new Inconclusive(`API server restart not applied: no kube-apiserver process on ${this.name}`);
    await this.exec(["kill", "-9", pid]);
    await this.exec(["systemctl", "restart", "kubelet"]);
    return pid;
  }

  /** The PID of the API server's process on the node, if one runs. */
  async apiServerPid(): Promise<string | undefined> {
    return (await this.exec(["pgrep", "-o", "-x", "kube-apiserver"], { anyExit: true })).trim() || undefined;
  }

  /** The partition's rules in place, per firewall, as `iptables -S` prints them. */
  private partitionRules() {
    return Promise.all(
      firewalls.map(async (fw) => ({
        fw,
        rules: (await this.exec([fw, "-S"])).split("\n").filter((l) => l.includes(partitionTag)),
      })),
    );
  }

  /** systemd's word for the kubelet's state: "active" when it runs. */
  private async kubeletState(): Promise<string> {
    return (await this.exec(["systemctl", "is-active", "kubelet"], { anyExit: true })).trim();
  }

  /** What is changed on the node's container, in words; empty when it is as the suite found it. */
  async changes(): Promise<string[]> {
    const state = await this.state();
    if (!state.Running) return ["its container is stopped"]; // nothing else can be read
    if (state.Paused) return ["its container is paused"];
    const changes: string[] = [];
    const kubelet = await this.kubeletState();
    if (kubelet !== "active") changes.push(`its kubelet is ${kubelet}`);
    const rules = (await this.partitionRules()).flatMap((r) => r.rules);
    if (rules.length > 0) changes.push(`${rules.length} partition rule(s) in place`);
    return changes;
  }

  /**
   * Undoes every node fault the suite knows on the container; a no-op on an unchanged one. A stopped
   * one starts at `addresses` (its Node's InternalIPs) when given: see keepAddresses.
   */
  async restore(addresses: string[] = []): Promise<void> {
    const state = await this.state();
    // A fresh boot has no partition rules and its systemd starts the kubelet: nothing more to undo.
    if (!state.Running) {
      await this.keepAddresses(addresses);
      return void (await this.container.start());
    }
    if (state.Paused) await this.container.unpause();
    for (const { fw, rules } of await this.partitionRules())
      for (const rule of rules) await this.exec([fw, ...rule.trim().replace(/^-A /, "-D ").split(/\s+/)]);
    if ((await this.kubeletState()) !== "active") await this.exec(["systemctl", "start", "kubelet"]);
  }

  /**
   * Pins a stopped container to `addresses` on its network, so that it starts where its Node says
   * it is: Docker gives a started container the lowest free address, and two nodes stopped together
   * took each other's (seen: the API server then reached the wrong kubelet for exec, a 404). Done
   * by connecting it again with the addresses asked for; a no-op when they already are.
   */
  private async keepAddresses(addresses: string[]): Promise<void> {
    const v4 = addresses.find((a) => a.includes("."));
    const v6 = addresses.find((a) => a.includes(":"));
    if (!v4 && !v6) return;
    const networks = Object.entries((await this.container.inspect()).NetworkSettings.Networks);
    if (networks.length !== 1) return; // a kind node is on kind's network only: the addresses are its
    for (const [name, net] of networks) {
      const pinned = (net.IPAMConfig ?? {}) as { IPv4Address?: string; IPv6Address?: string };
      if ((pinned.IPv4Address ?? "") === (v4 ?? "") && (pinned.IPv6Address ?? "") === (v6 ?? "")) continue;
      const network = this.client.network.getById(name);
      await network.disconnect({ Container: this.name, Force: true });
      await network.connect({
        Container: this.name,
        EndpointConfig: {
          IPAMConfig: { ...(v4 ? { IPv4Address: v4 } : {}), ...(v6 ? { IPv6Address: v6 } : {}) },
          Aliases: (net.Aliases as string[] | null | undefined) ?? [],
        },
      });
    }
  }

  /**
   * Whether the container is no longer at the address its Node reports, in words. kind fixes each
   * kubelet's node IP at creation; a container started again may get another address (a Docker
   * restart swapped two workers'), and the API server then reaches the wrong kubelet for logs and
   * exec (seen: a 404 for a pod's log) while the node still looks Ready.
   */
  async moved(n: k8s.V1Node): Promise<string | undefined> {
    const networks = (await this.container.inspect()).NetworkSettings.Networks;
    const actual = Object.values(networks).flatMap((net) => [net.IPAddress, net.GlobalIPv6Address].filter(Boolean));
    const said = (n.status?.addresses ?? []).filter((a) => a.type === "InternalIP").map((a) => a.address);
    const stale = said.filter((a) => !actual.includes(a));
    return stale.length > 0 ? `${this.name} is at ${actual.join(", ")}, its Node says ${stale.join(", ")}` : undefined;
  }

  /** The image the node's container runs. */
  async image(): Promise<string> {
    return (await this.container.inspect()).Config.Image;
  }
}
