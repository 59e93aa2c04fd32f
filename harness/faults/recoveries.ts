// Every fault that marks a Node, in the order an interrupted run is undone: the node itself first
// (it must be back before its taint and cordon are lifted), then the taint, then the cordon. A new
// fault that changes Nodes adds its recovery here; run/cleanup.ts walks the list.
import { cordonRecovery } from "./cordon.js";
import { nodeFaultRecovery } from "./node-faults.js";
import { outOfServiceRecovery } from "./out-of-service.js";
import type { NodeMarkerRecovery } from "./undo.js";

export const nodeRecoveries: readonly NodeMarkerRecovery[] = [nodeFaultRecovery, outOfServiceRecovery, cordonRecovery];
