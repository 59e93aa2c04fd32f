// A fault and its undo: registered before it is applied, undone last first whatever happens, each
// undo verified; and how an interrupted run's faults are found on Nodes and undone.
import { HarnessError } from "../errors/harness-error.js";
import type { Kube } from "../kube/client.js";

/**
 * A change a test makes outside its own namespace (a cordon, a stopped node, a partition): how to
 * make it, how to put it back, and how to tell that it is back.
 */
export interface Fault {
  /** What it does, as the timeline and the report say it ("cordon node sts-worker"). */
  readonly what: string;
  apply(): Promise<void>;
  /** Puts things back; safe to call when `apply` failed halfway or was never reached. */
  undo(): Promise<void>;
  /** What is still not back ("node sts-worker is still unschedulable"), or undefined. */
  stillChanged(): Promise<string | undefined>;
  /**
   * Once applied, when a fault that lifts itself (nothing reaches it while it holds) lifts at the
   * earliest, by this process's clock: a window judged past then would take its lift for the fault.
   */
  readonly liftsItselfAt?: number;
}

/**
 * How a fault that changes a Node is put back from the Node alone, when the run that made it was
 * interrupted or killed: the fault marks the Node (annotation = the run id) before it changes it,
 * and run/cleanup.ts restores every Node whose marker names a run that is gone.
 */
export interface NodeMarkerRecovery {
  readonly annotation: string;
  /** The log line of the recovery ("uncordoning node x, cordoned by run r"). */
  describe(node: string, run: string): string;
  restore(kube: Kube, node: string): Promise<void>;
}

/**
 * The undos of one test. A fault registers its undo before it is applied, so a half-applied fault
 * is undone too. `undoAll` runs them in reverse order whatever happened (success, failure,
 * timeout), keeps going when one fails, verifies each, and fails if anything is not back.
 * An interrupted run (Ctrl-C) is undone by the CLI from each fault's marker on the cluster.
 */
export class UndoRegistry {
  private readonly pending: Fault[] = [];

  /** Applies the fault; its undo is due from this moment on. */
  async apply(fault: Fault): Promise<void> {
    this.pending.push(fault);
    await fault.apply();
  }

  /** Undoes one fault now (e.g. "uncordon" as a step of the scenario), verified. */
  async undo(fault: Fault): Promise<void> {
    const i = this.pending.lastIndexOf(fault);
    if (i >= 0) this.pending.splice(i, 1);
    const problem = await undoVerified(fault);
    if (problem) throw new HarnessError(`undo failed: ${problem}`);
  }

  /** Undoes everything still applied, last first; throws once, listing every one not back. */
  async undoAll(): Promise<void> {
    const problems: string[] = [];
    for (let fault = this.pending.pop(); fault; fault = this.pending.pop()) {
      const problem = await undoVerified(fault);
      if (problem) problems.push(problem);
    }
    if (problems.length > 0) throw new HarnessError(`undo failed: ${problems.join("; ")}`);
  }

  get size(): number {
    return this.pending.length;
  }
}

async function undoVerified(fault: Fault): Promise<string | undefined> {
  try {
    await fault.undo();
    const left = await fault.stillChanged();
    return left === undefined ? undefined : `${fault.what}: ${left}`;
  } catch (e) {
    return `${fault.what}: ${(e as Error).message}`;
  }
}
