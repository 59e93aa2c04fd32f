// Where the CLI runs: inside a pod of the cluster under test (a Sonobuoy plugin, the Job in
// deploy/job) it tests that cluster with the pod's ServiceAccount, with no flags.
import { existsSync, readFileSync } from "node:fs";

const serviceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";

/** In a pod with a ServiceAccount token: the API server is the one the pod runs under. */
export const inPod = (env: NodeJS.ProcessEnv = process.env): boolean =>
  Boolean(env.KUBERNETES_SERVICE_HOST) && existsSync(`${serviceAccountDir}/token`);

/** The namespace of the pod this runs in (its ServiceAccount's). */
export const podNamespace = (): string => readFileSync(`${serviceAccountDir}/namespace`, "utf8").trim();
