// An OCI registry: the one the prod cluster's nodes pull from (a distribution registry built here,
// run beside its nodes on kind's Docker network), and pushing the suite's images to any registry a
// user has (`sts-conformance image --push REGISTRY`), with the Docker CLI and its credentials.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { getContainerRuntimeClient } from "testcontainers";
import { fixtureImage } from "../config/image-build.js";
import { paths } from "../config/paths.js";
import { HarnessError } from "../errors/harness-error.js";

/** On the registry's container: the kind cluster it serves (what a CI cleanup finds it by). */
export const registryOfLabel = "sts-conformance.io/registry-of";

/** The container of the registry beside kind cluster `cluster`. */
export const registryContainer = (cluster: string): string => `${cluster}-registry`;

/** Where the registry answers inside the cluster's Docker network (plain HTTP). */
const inNetwork = (cluster: string) => `http://${registryContainer(cluster)}:5000`;

/**
 * containerd's hosts directory for a cluster's nodes (mounted at /etc/containerd/certs.d): the
 * name images carry, `localhost:<port>` (as the host pushes them), is served by the registry
 * container, by its name on the cluster's network.
 */
export function writeRegistryHosts(cluster: string, port: number): string {
  const dir = join(paths.stateDir, `registry-hosts-${cluster}`);
  // written in place, never replaced: a running cluster's nodes mount this very directory
  mkdirSync(join(dir, `localhost:${port}`), { recursive: true });
  const server = inNetwork(cluster);
  writeFileSync(
    join(dir, `localhost:${port}`, "hosts.toml"),
    `server = "${server}"\n\n[host."${server}"]\n  capabilities = ["pull", "resolve"]\n`,
  );
  return dir;
}

/** The container of that name, running or not. */
async function containerNamed(name: string): Promise<{ State: string } | undefined> {
  const client = await getContainerRuntimeClient();
  const all = await client.container.dockerode.listContainers({ all: true, filters: { name: [name] } });
  return all.find((c) => c.Names.includes(`/${name}`));
}

/** The registry image the image build made (harness/images/steps/prod.sh). */
const registryImage = () => readFileSync(join(paths.cacheDir, "artifacts", "registry-image", "image"), "utf8").trim();

/**
 * Starts the registry beside kind cluster `cluster` (on the network kind made), published on the
 * host at 127.0.0.1:`port`; one already running is kept, with what was pushed to it.
 */
export async function startRegistry(cluster: string, port: number): Promise<string> {
  const client = await getContainerRuntimeClient();
  const name = registryContainer(cluster);
  const existing = await containerNamed(name);
  if (existing?.State === "running") return `localhost:${port}`;
  if (existing) await client.container.getById(name).remove({ force: true, v: true });
  const container = await client.container.create({
    name,
    Image: registryImage(),
    // not kind's cluster label: kind would count it a node of the cluster
    Labels: { [registryOfLabel]: cluster },
    ExposedPorts: { "5000/tcp": {} },
    HostConfig: {
      NetworkMode: "kind",
      PortBindings: { "5000/tcp": [{ HostIp: "127.0.0.1", HostPort: String(port) }] },
      RestartPolicy: { Name: "unless-stopped" },
    },
  });
  try {
    await client.container.start(container);
  } catch (e) {
    await container.remove({ force: true, v: true }).catch(() => undefined);
    throw new HarnessError(
      `the registry of kind cluster "${cluster}" did not start on 127.0.0.1:${port} (${(e as Error).message.split("\n")[0]}): free the port, then retry`,
    );
  }
  return `localhost:${port}`;
}

/** Removes the registry beside kind cluster `cluster`, and what was pushed to it. */
export async function removeRegistry(cluster: string): Promise<void> {
  const client = await getContainerRuntimeClient();
  const name = registryContainer(cluster);
  if (await containerNamed(name)) await client.container.getById(name).remove({ force: true, v: true });
  rmSync(join(paths.stateDir, `registry-hosts-${cluster}`), { recursive: true, force: true });
}

/** Whether a registry answers its API's base endpoint (/v2/) over HTTPS or HTTP: any answer, 401 too. */
async function answers(registry: string): Promise<string | undefined> {
  const errors: string[] = [];
  for (const scheme of ["https", "http"])
    try {
      await fetch(`${scheme}://${registry}/v2/`, { signal: AbortSignal.timeout(5000) });
      return undefined;
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      errors.push(`${scheme}: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
    }
  return errors.join(", ");
}

/**
 * The fixtures' image as a registry serves it: the kind nodes' busybox with a label of its own, so
 * its image id differs from the copy a node image preloads. A kubelet that pulled an image under one
 * name re-verifies every other name of the same id with a pull (KubeletEnsureSecretPulledImages),
 * which the preloaded name, served by no registry, would fail.
 */
export async function fixtureForRegistries(): Promise<string> {
  const from = fixtureImage();
  const tagged = `sts.local/sts-fixture:${from.split(":").pop() ?? "latest"}`;
  const r = await execa("docker", ["build", "-q", "-t", tagged, "-"], {
    input: `FROM ${from}\nLABEL io.sts-conformance.fixture=busybox\n`,
    env: { DOCKER_BUILDKIT: "0" },
    reject: false,
    all: true,
  });
  if (r.exitCode !== 0)
    throw new HarnessError(
      `could not make the fixtures' image from ${from}: ${String(r.all ?? "")
        .trim()
        .split("\n")
        .pop()}`,
    );
  return tagged;
}

/** A registry that does not answer is one line (exit 2), said before anything is built or tagged. */
export async function registryAnswers(registry: string): Promise<void> {
  const why = await answers(registry.split("/")[0] ?? registry);
  if (why) throw new HarnessError(`registry ${registry} cannot be reached (${why}): start it, or check the address`);
}

/** An image pushed: its local name and the one in the registry. */
export interface Pushed {
  local: string;
  pushed: string;
}

/**
 * Tags each image under `registry` (its repository's last part and tag kept) and pushes it with the
 * Docker CLI (the user's credentials and registry settings). A registry that does not answer is
 * one line, before anything is tagged.
 */
export async function pushImages(registry: string, images: string[], log: (line: string) => void): Promise<Pushed[]> {
  await registryAnswers(registry);
  const out: Pushed[] = [];
  for (const local of images) {
    const pushed = `${registry}/${local.split("/").pop()}`;
    const started = Date.now();
    const tagged = await execa("docker", ["tag", local, pushed], { reject: false, all: true });
    const r = tagged.exitCode === 0 ? await execa("docker", ["push", pushed], { reject: false, all: true }) : tagged;
    if (r.exitCode !== 0)
      throw new HarnessError(
        `could not push ${pushed}: ${String(r.all ?? "")
          .trim()
          .split("\n")
          .pop()}`,
      );
    log(`pushed ${pushed} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    out.push({ local, pushed });
  }
  return out;
}
