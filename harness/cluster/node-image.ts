// The kind node image: the one built here (harness/images/), kind's own where a registry answers, or
// the one named; and the upgrade payload a cluster upgrade stages on its nodes.
import { lookup } from "node:dns/promises";
import { connect } from "node:net";
import { join } from "node:path";
import { execa } from "execa";
import { paths } from "../config/paths.js";
import { HarnessError } from "../errors/harness-error.js";

/**
 * Which node image a kind cluster uses:
 * - "auto": the air-gapped image built here when present, or when no registry can be reached
 *   (then it is built now); otherwise kind's default image.
 * - "kind-default": kind's default image, pulled from its registry.
 * - any other string: that image, as given.
 */
export type NodeImageChoice = "auto" | "kind-default" | (string & {});

/** The build's environment: the Kubernetes it makes ("" = the pinned one). */
const buildEnv = (kubernetesVersion: string) => ({ STS_KUBERNETES_VERSION: kubernetesVersion });

/** The locally built node image of that Kubernetes, if the build finished and docker still has it. */
export async function builtNodeImage(kubernetesVersion = ""): Promise<string | undefined> {
  const r = await execa("bash", [paths.imageBuild, "--print"], { reject: false, env: buildEnv(kubernetesVersion) });
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}

/** Whether kind's registry answers: a DNS lookup first, so an air-gapped host sends nothing. */
export async function registryReachable(host = "registry-1.docker.io", timeoutMs = 3000): Promise<boolean> {
  try {
    await lookup(host);
  } catch {
    return false;
  }
  return new Promise((done) => {
    const socket = connect({ host, port: 443, timeout: timeoutMs });
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.once("connect", () => finish(true));
    socket.once("timeout", () => finish(false));
    socket.once("error", () => finish(false));
  });
}

/** Runs the air-gapped image build (these step groups, or all), streaming its progress lines. */
export async function runBuild(
  groups: string[],
  onLine: (line: string) => void,
  kubernetesVersion = "",
): Promise<void> {
  const child = execa("bash", [paths.imageBuild, ...groups], {
    reject: false,
    all: true,
    stdin: "ignore",
    env: buildEnv(kubernetesVersion),
  });
  child.all?.on("data", (chunk: Buffer) => {
    // a failure's "images: …" line is the error this throws: said once, at the end
    for (const line of chunk.toString().split("\n"))
      if (line.trim() && !line.startsWith("images:")) onLine(line.trimEnd());
  });
  const r = await child;
  if (r.exitCode !== 0) {
    // build.sh already printed which step failed, why, and where its log is.
    const why = String(r.all ?? "")
      .split("\n")
      .filter((l) => l.startsWith("images:") || l.startsWith("host setup:"))
      .pop();
    throw new HarnessError(why ?? `the image build failed (exit ${r.exitCode}): run ${paths.imageBuild} to see why`);
  }
}

/** Runs the air-gapped image build, streaming its progress lines, and returns the image name. */
export async function buildNodeImage(onLine: (line: string) => void, kubernetesVersion = ""): Promise<string> {
  await runBuild([], onLine, kubernetesVersion);
  const image = await builtNodeImage(kubernetesVersion);
  if (!image)
    throw new HarnessError(`the node image build finished but no image is recorded: re-run ${paths.imageBuild}`);
  return image;
}

/**
 * Builds (or finds cached) what `cluster upgrade --to` stages on a running cluster: that version's
 * kubeadm, kubelet, kubectl and control-plane images (harness/images/steps/node.sh). Its directory.
 */
export async function buildUpgradePayload(kubernetesVersion: string, onLine: (line: string) => void): Promise<string> {
  await runBuild(
    ["binaries", "rootfs", "images", "upgrade"],
    (line) => {
      if (/▶|built in|still running|failed/.test(line)) onLine(line);
    },
    kubernetesVersion,
  );
  return join(paths.cacheDir, "artifacts", `upgrade-payload-${kubernetesVersion}`);
}

/**
 * Resolves the choice to an image name, or undefined for kind's default. A Kubernetes version asked
 * for is always the image built here (kind's default is another version).
 */
export async function resolveNodeImage(
  choice: NodeImageChoice,
  onLine: (line: string) => void,
  kubernetesVersion = "",
): Promise<string | undefined> {
  if (choice === "kind-default") return undefined;
  if (choice !== "auto") return choice;
  // An image built before is brought up to date with this checkout's recipe (about a second when
  // nothing changed): otherwise a pulled change to the node would not be in the cluster tested.
  if (await builtNodeImage(kubernetesVersion))
    return buildNodeImage((line) => {
      if (/▶|built in|still running/.test(line)) onLine(line);
    }, kubernetesVersion);
  if (kubernetesVersion) {
    onLine(`building the node image of Kubernetes ${kubernetesVersion} (cached steps are skipped)`);
    return buildNodeImage(onLine, kubernetesVersion);
  }
  if (await registryReachable()) return undefined;
  onLine("no container registry is reachable: building the air-gapped node image (cached steps are skipped)");
  return buildNodeImage(onLine);
}
