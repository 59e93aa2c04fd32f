// What a run says of itself in its reports: the cluster under test as the preflight found it (the
// global setup exports it), and the JUnit <properties> of the run: the target, the suite, the run id.
import { setting } from "../config/settings.js";
import { toolInfo } from "./tool-info.js";

export interface RunTarget {
  server: string;
  kubernetesVersion: string;
  nodes: number;
  storageClass: string;
}

/** The cluster under test, once the preflight has found it. */
export const runTarget = (): RunTarget | undefined =>
  setting("target") ? (JSON.parse(setting("target")) as RunTarget) : undefined;

export function runProperties(): Record<string, string> {
  const target = runTarget();
  const tool = toolInfo();
  return {
    ...(target
      ? {
          "target.server": target.server,
          "target.kubernetesVersion": target.kubernetesVersion,
          "target.nodes": String(target.nodes),
          "target.storageClass": target.storageClass,
        }
      : {}),
    "suite.version": `${tool.version} (${tool.commit})`,
    ...(setting("runId") ? { runId: setting("runId") } : {}),
  };
}
