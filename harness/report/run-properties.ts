// What a run's JUnit says of it in <properties>: the cluster under test, the suite, the run id.
import { setting } from "../config/settings.js";
import { toolInfo } from "./tool-info.js";

export function runProperties(): Record<string, string> {
  const target = setting("target")
    ? (JSON.parse(setting("target")) as {
        server: string;
        kubernetesVersion: string;
        nodes: number;
        storageClass: string;
      })
    : undefined;
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
