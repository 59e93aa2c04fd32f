// Every bound the suite waits within, in one place: a wait that runs out is inconclusive, not a finding.
import { setting } from "./settings.js";

/**
 * Every timeout of the harness, in one place. Values are upper bounds for a healthy cluster,
 * never sleeps: waits return as soon as what they observe happens.
 */
export const Timeouts = {
  /** `kind create cluster` until every node is Ready (kind's own --wait). */
  clusterCreateMs: 6 * 60_000,
  /** An existing cluster must prove usable within this, or it is recreated. */
  clusterReuseCheckMs: 30_000,
  /** API server round trip during preflight. */
  preflightRequestMs: 10_000,
  /** The preflight canary: a claim provisioned and bound, a pod run, a DNS lookup, a write (STS_CANARY_S). */
  get preflightCanaryMs(): number {
    return setting("canaryS") * 1000;
  },
  /** A pod from creation to Running/Ready or completion (images are local: no pulls). */
  podStartMs: 120_000,
  /** A node Ready again after a node fault is lifted (the kubelet resumes and reports). */
  nodeReadyMs: 120_000,
  /**
   * A member on a node that stopped answering, evicted (Terminating) by the taint manager: the node
   * controller's grace period (50 s by default, 20 s on the suite's kind) and the member's
   * unreachable toleration (the chaos set's: 5 s), with room for a loaded control plane.
   */
  nodeLossEvictionMs: 120_000,
  /**
   * A node tainted out-of-service until its pods are removed and created again (G24): the pod
   * garbage collector force-deletes them on its next pass (every 20 s), then the set's controller
   * acts. The check gives it this long, and its control waits as long before calling it flagged.
   */
  outOfServiceReplaceMs: 60_000,
  /** A StatefulSet of a few pods reaching the state a step asked for (create, scale, recover). */
  setSettleMs: 4 * 60_000,
  /** A namespace and everything in it, gone. */
  namespaceDeleteMs: 180_000,
  /**
   * The explicit "nothing must happen" window (e.g. no pod created while scale-up is halted).
   * The only deliberate wait in the suite; upstream e2e uses 10 s. STS_QUIET_WINDOW_S overrides.
   */
  get quietWindowMs(): number {
    return setting("quietWindowS") * 1000;
  },
  /** The recorder's timeline matching a fresh list of the cluster (the barrier before a verdict). */
  recorderCatchUpMs: 30_000,
  /**
   * A DNS record following a pod change (endpoints, then CoreDNS), or a Service's rules reaching
   * kube-proxy on a node; polled, there is no watch. A budget, not only a bound: an answer still
   * wrong after it is a finding (BROKEN, naming it), so it is a setting (STS_DNS_PROPAGATION_S).
   */
  get dnsPropagationMs(): number {
    return setting("dnsPropagationS") * 1000;
  },
  /** The API server back and ready after it was killed (its kubelet restarted with it: about 4 s). */
  apiServerRestartMs: 90_000,
  /** After a restart, the API server ready and authorizing without a break this long before the run goes on. */
  apiServerSteadyMs: 5_000,
  /** Undoing an interrupted run (Ctrl-C, SIGTERM): its namespaces and faults; the rest is swept next run. */
  interruptCleanupMs: 120_000,
  /**
   * A test waiting its turn at the run's exclusive gate: the longest exclusive section (npm test's
   * one-round chaos run, about 6 min) and a little more; below a test's own limit (clusterTestMs).
   */
  exclusiveGateMs: 9 * 60_000,
  /** A test running this long is a long one: its steps get progress lines from then on. */
  progressStepsAfterMs: 20_000,
  /** One cluster test, all its steps included (Jest's own limit; waits inside end sooner). */
  clusterTestMs: 12 * 60_000,
} as const;
