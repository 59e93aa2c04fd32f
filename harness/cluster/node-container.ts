// A kind node is a Docker container named after the node. Node faults act on it through
// testcontainers' container-runtime client (the Docker API), never through shell strings.
import type Dockerode from "dockerode";
import { getContainerRuntimeClient } from "testcontainers";

/** The container node `node` of the suite's kind cluster runs in. */
export async function nodeContainer(node: string): Promise<Dockerode.Container> {
  const client = await getContainerRuntimeClient();
  return client.container.getById(node);
}

/** Whether the node's container is paused (frozen: its kubelet, pods and their network stop answering). */
export async function nodePausedNow(node: string): Promise<boolean> {
  return (await (await nodeContainer(node)).inspect()).State.Paused;
}
