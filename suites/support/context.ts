// What a scenario's roles share: its cluster, namespace, set, recorder and undo registry.
import type { Kube } from "../../harness/kube/client.js";
import type { UndoRegistry } from "../../harness/faults/undo.js";
import type { TimelineRecorder } from "../../harness/timeline/recorder.js";

/** What every role of a scenario works on: its namespace and set, the recorder, the undos. */
export interface ScenarioContext {
  readonly kube: Kube;
  readonly namespace: string;
  /** The web StatefulSet's name (also its headless Service's). */
  readonly set: string;
  /** Label selector of the set's pods. */
  readonly selector: string;
  readonly recorder: TimelineRecorder;
  readonly undo: UndoRegistry;
}
