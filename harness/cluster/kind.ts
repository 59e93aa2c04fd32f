// The kind CLI through execa: create, delete and list clusters and their nodes, its errors in one line.
import { existsSync } from "node:fs";
import { execa } from "execa";
import { paths } from "../config/paths.js";
import { setting } from "../config/settings.js";

/** The result of one kind CLI call. */
export interface KindResult {
  ok: boolean;
  stdout: string;
  /** stdout and stderr interleaved, for error messages and logs. */
  all: string;
}

export interface CreateOptions {
  name: string;
  configPath: string;
  kubeconfigPath: string;
  /** Node image; undefined means kind's default (pulled from its registry). */
  image?: string;
  waitMs: number;
  /** Called with each line kind prints, so long creations show progress. */
  onLine?: (line: string) => void;
}

/** A typed wrapper around the `kind` CLI: the pinned build, else the one on PATH. */
export class KindCli {
  constructor(private readonly given?: string) {}

  /**
   * Located at each call, not when this object is made: on a first run the image build compiles
   * the pinned kind after the CLI has started (a kind located up front was one that did not exist).
   */
  get binary(): string {
    return this.given ?? KindCli.locate();
  }

  static locate(): string {
    if (setting("kindBin")) return setting("kindBin");
    return existsSync(paths.builtKind) ? paths.builtKind : "kind";
  }

  private async run(args: string[], onLine?: (line: string) => void): Promise<KindResult> {
    const child = execa(this.binary, args, { reject: false, all: true, stdin: "ignore" });
    if (onLine) {
      child.all?.on("data", (chunk: Buffer) => {
        for (const line of chunk.toString().split("\n")) if (line.trim()) onLine(line.trimEnd());
      });
    }
    const result = await child;
    if (result.failed && result.exitCode === undefined) {
      return { ok: false, stdout: "", all: `cannot run ${this.binary}: ${result.shortMessage}` };
    }
    return { ok: result.exitCode === 0, stdout: String(result.stdout ?? ""), all: String(result.all ?? "") };
  }

  async version(): Promise<KindResult> {
    return this.run(["version"]);
  }

  async clusters(): Promise<string[]> {
    const r = await this.run(["get", "clusters"]);
    return r.ok ? r.stdout.split("\n").filter((l) => l && !l.startsWith("No kind clusters")) : [];
  }

  /** The cluster's nodes: its Kubernetes nodes' containers, not an HA cluster's load balancer (`<name>-external-load-balancer`). */
  async nodes(name: string): Promise<string[]> {
    const r = await this.run(["get", "nodes", "--name", name]);
    return r.ok ? r.stdout.split("\n").filter((n) => n && !n.endsWith("-external-load-balancer")) : [];
  }

  async create(o: CreateOptions): Promise<KindResult> {
    const args = ["create", "cluster", "--name", o.name, "--config", o.configPath];
    args.push("--kubeconfig", o.kubeconfigPath, "--wait", `${Math.round(o.waitMs / 1000)}s`, "--retain");
    if (o.image) args.push("--image", o.image);
    return this.run(args, o.onLine);
  }

  async writeKubeconfig(name: string, kubeconfigPath: string): Promise<KindResult> {
    return this.run(["export", "kubeconfig", "--name", name, "--kubeconfig", kubeconfigPath]);
  }

  async exportLogs(name: string, dir: string): Promise<KindResult> {
    return this.run(["export", "logs", dir, "--name", name]);
  }

  /** Loads a local image into the cluster's nodes (`nodes`: those only; default every node). */
  async loadImage(name: string, image: string, nodes?: string[]): Promise<KindResult> {
    return this.run(["load", "docker-image", image, "--name", name, ...(nodes ? ["--nodes", nodes.join(",")] : [])]);
  }

  /** Deletes the cluster; the kubeconfig named is the one kind cleans up (never the user's). */
  async delete(name: string, kubeconfigPath: string): Promise<KindResult> {
    return this.run(["delete", "cluster", "--name", name, "--kubeconfig", kubeconfigPath]);
  }
}
