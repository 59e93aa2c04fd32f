import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { repoRoot } from "../config/paths.js";
import { defaultBudgets } from "./budgets.js";
import { faultCatalogue, faultEntry, faultKinds, type MemberActions, type NodeContainer } from "./catalogue.js";

/** A node container and member actions that record what was asked of them. */
function recorder() {
  const asked: string[] = [];
  const say = (what: string) => async () => void asked.push(what);
  const node: NodeContainer = {
    powerCut: async () => (asked.push("powerCut"), "forgot 0 bytes"),
    pause: say("pause"),
    stopKubelet: say("stopKubelet"),
    partition: say("partition"),
    restartApiServer: async () => (asked.push("restartApiServer"), "42"),
  };
  const act: MemberActions = {
    deletePod: async (pod, o) => void asked.push(`deletePod ${pod} force=${o.force}`),
    killContainer: async (pod) => void asked.push(`killContainer ${pod}`),
  };
  return { asked, node, act };
}

describe("the fault catalogue", () => {
  test("each kind is made on a path its scope has: a member through the API, a node or the control plane on its node", () => {
    for (const kind of faultKinds) {
      const e = faultEntry(kind);
      const paths = { member: e.member !== undefined, node: e.docker !== undefined || e.pod !== undefined };
      expect({ kind, paths }).toEqual({ kind, paths: { member: e.scope === "member", node: e.scope !== "member" } });
      expect(e.budgetS).toBeGreaterThan(0);
    }
  });

  test("the budgets' defaults are the catalogue's", () => {
    for (const kind of faultKinds) expect(defaultBudgets[kind]).toBe(faultCatalogue[kind].budgetS);
  });

  test("each entry calls the primitive it names, with its target", async () => {
    const r = recorder();
    for (const kind of faultKinds) {
      const e = faultEntry(kind);
      await e.member?.(r.act, "web-1");
      await e.docker?.(r.node);
    }
    expect(r.asked).toEqual([
      "deletePod web-1 force=false",
      "deletePod web-1 force=true",
      "killContainer web-1",
      "pause",
      "powerCut",
      "stopKubelet",
      "partition",
      "restartApiServer",
    ]);
  });

  test("a pod's modes are those the privileged pod's script makes", () => {
    const script = readFileSync(join(repoRoot, "harness/cluster/host-fault.sh"), "utf8");
    for (const mode of faultKinds.flatMap((k) => faultEntry(k).pod ?? []))
      expect({ mode, known: new RegExp(`^\\s+${mode}\\)`, "m").test(script) }).toEqual({ mode, known: true });
  });
});
