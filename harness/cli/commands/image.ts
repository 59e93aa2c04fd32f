// `image`: the suite's container image and Sonobuoy's, built here with no registry, loaded into the
// suite's kind cluster when it exists: to run the suite inside a cluster (deploy/).
import { KindCli } from "../../cluster/kind.js";
import { prepareHost } from "../../cluster/provision.js";
import { fixtureImage } from "../../config/image-build.js";
import { setting } from "../../config/settings.js";
import { ExitCode } from "../../errors/harness-error.js";
import { buildInClusterImages, loadIntoKind } from "../../in-cluster/suite-images.js";
import { fixtureForRegistries, pushImages, registryAnswers } from "../../cluster/registry.js";
import { log, type Command, type RunOptions } from "../command.js";

/**
 * The suite's image and Sonobuoy's, built or found cached; with --push, pushed to that registry
 * with the fixtures' image (and nothing loaded anywhere); otherwise loaded into the suite's kind
 * cluster when it exists. The suite's image name on stdout.
 */
async function image(o: RunOptions): Promise<number> {
  if (o.push !== undefined) await registryAnswers(o.push); // before minutes of building
  await prepareHost(log); // Docker, as a cluster's first run prepares it
  const images = await buildInClusterImages(log);
  if (o.push !== undefined) {
    const started = Date.now();
    const pushed = await pushImages(o.push, [images.suite, images.sonobuoy, await fixtureForRegistries()], log);
    log(`pushed ${pushed.length} images to ${o.push} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const [suite, sonobuoy, fixture] = pushed.map((p) => p.pushed);
    log(`in the manifests: image ${suite}, STS_FIXTURE_IMAGE=${fixture}; Sonobuoy: --sonobuoy-image ${sonobuoy}`);
    process.stdout.write(`${suite}\n`);
    return ExitCode.Ok;
  }
  const cluster = setting("clusterName");
  if ((await new KindCli().clusters()).includes(cluster)) {
    const started = Date.now();
    const nodes = await loadIntoKind(cluster, images);
    log(
      `loaded into ${nodes.join(", ")} of kind cluster "${cluster}" in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } else log(`no kind cluster "${cluster}" to load them into: push them with --push REGISTRY`);
  log(`Sonobuoy's image ${images.sonobuoy}, its CLI ${images.sonobuoyCli}`);
  log(`the fixtures' image on the kind nodes: ${fixtureImage()} (the manifests' STS_FIXTURE_IMAGE on kind)`);
  process.stdout.write(`${images.suite}\n`);
  return ExitCode.Ok;
}

export const imageCommand: Command = {
  words: "image",
  summary: `build the suite's container image and Sonobuoy's (no registry); push them with the fixtures' image to a registry (--push), or load them into the kind cluster when it exists: to run inside the cluster (deploy/, docs/in-cluster.md)`,
  flags: ["push"],
  settings: ["clusterName", "cacheDir", "goBinariesFrom"],
  examples: ["sts-conformance image", "sts-conformance image --push localhost:5001"],
  run: (o) => image(o),
};
