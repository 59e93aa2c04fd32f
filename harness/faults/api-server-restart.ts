// The API server restarted on a kind cluster's control plane (the fault catalogue's api-restart),
// undone when it is back and authorizing, verified as a new process.
import * as k8s from "@kubernetes/client-node";
import pRetry from "p-retry";
import { faultCatalogue, faultEntry } from "../chaos/catalogue.js";
import { controlPlaneNode, KindNode } from "../cluster/kind-node.js";
import { Timeouts } from "../config/timeouts.js";
import type { Kube } from "../kube/client.js";
import { Inconclusive } from "../verdict/verdict.js";
import type { Fault } from "./undo.js";

/**
 * The API server back: ready, and authorizing the suite's requests, without a break for a steady
 * window. Ready is not enough: right after a restart it answers readyz while its authorizer still
 * refuses the suite's own user (403) for a moment, and the kubelet, itself restarted, may start the
 * API server once more after a first good answer (a run's next test then failed on a 403). No
 * watch can tell when it is back: its readiness is asked every half second.
 */
function apiServerBack(kube: Kube): Pick<Fault, "undo" | "stillChanged"> {
  const health = new k8s.Health(kube.kc);
  const authorized = () =>
    kube.core.listNamespace({ limit: 1 }).then(
      () => true,
      () => false,
    );
  const ready = async () => (await health.readyz({ timeout: 2000 }).catch(() => false)) && (await authorized());
  return {
    undo: () => {
      let since: number | undefined;
      return pRetry(
        async () => {
          if (!(await ready())) {
            since = undefined;
            throw new Error("the API server is not ready (or not yet authorizing) yet");
          }
          since ??= Date.now();
          if (Date.now() - since < Timeouts.apiServerSteadyMs)
            throw new Error(`the API server has been ready for only ${Date.now() - since} ms`);
        },
        {
          retries: Math.ceil((Timeouts.apiServerRestartMs + Timeouts.apiServerSteadyMs) / 500),
          minTimeout: 500,
          maxTimeout: 500,
          factor: 1,
        },
      );
    },
    stillChanged: async () => ((await ready()) ? undefined : "the API server is not ready"),
  };
}

/**
 * The API server of a kind cluster killed and started again by its kubelet (about 4 s), after
 * `before` (what else the fault does first). Undone, even halfway, when the control plane's
 * kubelet runs and the API server is ready and authorizing.
 */
export function apiServerRestarted(
  kube: Kube,
  cluster: string,
  o: { what: string; before?: (node: KindNode) => Promise<void> } = { what: faultEntry("api-restart").what },
): Fault {
  const node = controlPlaneNode(cluster);
  const container = () => KindNode.of(node);
  const back = apiServerBack(kube);
  let killed: string | undefined;
  return {
    what: o.what,
    apply: async () => {
      const cp = await container();
      await o.before?.(cp);
      killed = await faultCatalogue["api-restart"].docker(cp);
    },
    undo: async () => {
      await (await container()).restore();
      await back.undo();
      // answering again is not proof of a restart: the process must be a new one
      const now = await (await container()).apiServerPid();
      if (killed !== undefined && now === killed)
        throw new Inconclusive(`API server restart not applied: kube-apiserver still PID ${killed} on ${node}`);
    },
    stillChanged: async () => (await (await container()).changes()).join(", ") || back.stillChanged(),
  };
}
