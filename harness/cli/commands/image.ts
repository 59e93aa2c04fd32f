// `image`: the suite's container image and Sonobuoy's, built here with no registry, loaded into the
// suite's kind cluster when it exists: to run the suite inside a cluster (deploy/).
import { KindCli } from "../../cluster/kind.js";
import { prepareHost } from "../../cluster/provision.js";
import { fixtureImage } from "../../config/image-build.js";
import { setting } from "../../config/settings.js";
import { ExitCode } from "../../errors/harness-error.js";
import { buildInClusterImages, loadIntoKind } from "../../in-cluster/suite-images.js";
import { log, type Command } from "../command.js";

/**
 * The suite's image and Sonobuoy's, built or found cached; loaded into the suite's kind cluster
 * when it exists (its name on stdout).
 */
async function image(): Promise<number> {
  await prepareHost(log); // Docker, as a cluster's first run prepares it
  const images = await buildInClusterImages(log);
  const cluster = setting("clusterName");
  if ((await new KindCli().clusters()).includes(cluster)) {
    const started = Date.now();
    const nodes = await loadIntoKind(cluster, images);
    log(
      `loaded into ${nodes.join(", ")} of kind cluster "${cluster}" in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } else log(`no kind cluster "${cluster}" to load them into: push ${images.suite} to your registry`);
  log(`Sonobuoy's image ${images.sonobuoy}, its CLI ${images.sonobuoyCli}`);
  log(`the fixtures' image on the kind nodes: ${fixtureImage()} (the manifests' STS_FIXTURE_IMAGE on kind)`);
  process.stdout.write(`${images.suite}\n`);
  return ExitCode.Ok;
}

export const imageCommand: Command = {
  words: "image",
  summary: `build the suite's container image and Sonobuoy's (no registry), and load them into the kind cluster when it exists: to run inside the cluster (deploy/, docs/in-cluster.md)`,
  flags: [],
  settings: ["clusterName", "cacheDir", "goBinariesFrom"],
  examples: ["sts-conformance image", "STS_CLUSTER_NAME=ci sts-conformance image"],
  run: () => image(),
};
