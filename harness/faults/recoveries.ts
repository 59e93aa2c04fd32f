// Every fault that marks a Node, in the order an interrupted run is undone: the node itself first
// (it must be back before its taint and cordon are lifted), then the taint, then the cordon. A new
// fault that changes Nodes adds its recovery here; run/cleanup.ts walks the list.
import type * as k8s from "@kubernetes/client-node";
import { cordonRecovery } from "./cordon.js";
import { nodeFaultRecovery } from "./node-faults.js";
import { outOfServiceRecovery } from "./out-of-service.js";
import type { NodeMarkerRecovery } from "./undo.js";

export const nodeRecoveries: readonly NodeMarkerRecovery[] = [nodeFaultRecovery, outOfServiceRecovery, cordonRecovery];

/** Whether run `run` has a fault on this Node right now (its marker is on it until the undo is verified). */
export const faultedByRun = (n: k8s.V1Node, run: string): boolean =>
  nodeRecoveries.some((r) => n.metadata?.annotations?.[r.annotation] === run);
