// The control plane's controllers run by leader election. An API server outage costs them their
// leadership: they exit, restart and are elected again, and until then no set is reconciled and no
// pod scheduled. A fault's recovery includes their return, and the next fault waits for it.
import { Timeouts } from "../config/timeouts.js";
import type { Kube } from "./client.js";
import { withRetry } from "./retry.js";
import { waitFor } from "./watch.js";
import { watchOf } from "./watch-of.js";

const leaders = ["kube-controller-manager", "kube-scheduler"];

/**
 * Waits until each leader-elected controller renews its Lease while watched (a leader renews every
 * few seconds; a renewal seen, not a timestamp compared, so clocks need not agree). A Lease the
 * suite cannot see (a managed control plane) is nothing to wait for.
 */
export async function controllersLeading(kube: Kube): Promise<void> {
  for (const name of leaders) {
    const watch = watchOf.lease(kube, "kube-system", name);
    const visible = await withRetry(() => watch.list()).then(
      (l) => l.items.length > 0,
      () => false, // not the suite's to read (no rights): nothing it can wait for
    );
    if (!visible) continue;
    let first: string | undefined;
    await waitFor(kube, {
      watch,
      what: `${name} leading (its Lease renewed)`,
      timeoutMs: Timeouts.apiServerRestartMs,
      until: (leases) => {
        const renewed = [...leases.values()].map((l) => new Date(l.spec?.renewTime ?? 0).getTime()).join();
        first ??= renewed;
        return renewed !== first;
      },
    });
  }
}
