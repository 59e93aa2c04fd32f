import { describe, expect, test } from "@jest/globals";
import { UndoRegistry, type Fault } from "./undo.js";

/** A fault on a pretend node: `log` records the calls; `sticky` makes its undo not take effect. */
function fakeFault(name: string, log: string[], o: { applyFails?: boolean; sticky?: boolean } = {}): Fault {
  let changed = false;
  return {
    what: name,
    apply: async () => {
      changed = true;
      log.push(`apply ${name}`);
      if (o.applyFails) throw new Error(`${name} failed halfway`);
    },
    undo: async () => {
      log.push(`undo ${name}`);
      if (!o.sticky) changed = false;
    },
    stillChanged: async () => (changed ? "still changed" : undefined),
  };
}

describe("UndoRegistry", () => {
  test("undoes every applied fault, last first, and verifies each", async () => {
    const log: string[] = [];
    const undo = new UndoRegistry();
    await undo.apply(fakeFault("a", log));
    await undo.apply(fakeFault("b", log));
    await undo.undoAll();
    expect(log).toEqual(["apply a", "apply b", "undo b", "undo a"]);
    expect(undo.size).toBe(0);
  });

  test("a fault that failed halfway is still undone", async () => {
    const log: string[] = [];
    const undo = new UndoRegistry();
    await expect(undo.apply(fakeFault("a", log, { applyFails: true }))).rejects.toThrow("halfway");
    await undo.undoAll();
    expect(log).toEqual(["apply a", "undo a"]);
  });

  test("an undo that did not take effect fails the run, and the others still run", async () => {
    const log: string[] = [];
    const undo = new UndoRegistry();
    await undo.apply(fakeFault("a", log));
    await undo.apply(fakeFault("b", log, { sticky: true }));
    await expect(undo.undoAll()).rejects.toThrow("undo failed: b: still changed");
    expect(log).toContain("undo a");
  });

  test("a fault undone by the test is not undone twice", async () => {
    const log: string[] = [];
    const undo = new UndoRegistry();
    const a = fakeFault("a", log);
    await undo.apply(a);
    await undo.undo(a);
    await undo.undoAll();
    expect(log).toEqual(["apply a", "undo a"]);
  });
});
