// The images an in-cluster run needs, built here with no registry (harness/images/steps/suite.sh):
// the suite's own (its CLI as the entrypoint) and Sonobuoy's; on the suite's kind cluster, loaded
// into the nodes that run pods, as a registry would serve them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { KindCli } from "../cluster/kind.js";
import { runBuild } from "../cluster/node-image.js";
import { paths } from "../config/paths.js";
import { HarnessError } from "../errors/harness-error.js";

export interface InClusterImages {
  /** The name the manifests in deploy/ use (sts.local/sts-conformance:<version>). */
  suite: string;
  sonobuoy: string;
  /** The Sonobuoy CLI built with its image (the same version). */
  sonobuoyCli: string;
}

const artifact = (step: string, file: string) => join(paths.cacheDir, "artifacts", step, file);

/** Builds (or finds cached) both images, streaming the build's progress lines. */
export async function buildInClusterImages(onLine: (line: string) => void): Promise<InClusterImages> {
  await runBuild(["suite"], (line) => {
    if (/▶|built in|still running|suite image/.test(line)) onLine(line);
  });
  const read = (step: string, file: string) => readFileSync(artifact(step, file), "utf8").trim();
  return {
    suite: read("suite-image", "name"),
    sonobuoy: read("sonobuoy-image", "image"),
    sonobuoyCli: artifact("sonobuoy", "sonobuoy"),
  };
}

/** Loads the images into every node of the kind cluster that takes pods (not its control plane). */
export async function loadIntoKind(cluster: string, images: InClusterImages): Promise<string[]> {
  const kind = new KindCli();
  const nodes = (await kind.nodes(cluster)).filter((n) => !n.endsWith("-control-plane"));
  for (const image of [images.suite, images.sonobuoy]) {
    const r = await kind.loadImage(cluster, image, nodes);
    if (!r.ok)
      throw new HarnessError(
        `could not load ${image} into kind cluster "${cluster}": ${r.all.trim().split("\n").pop()}`,
      );
  }
  return nodes;
}
