// What a test declares about itself, in code: the guarantees it checks, whether it is a negative
// control, the storage capabilities it proves, its mode, what it needs of the target, and what it
// says. Its title is built from this here and nowhere else; every reader (--list, summary.json,
// JUnit, Allure, progress lines, the storage matrix, the docs) reads the metadata, never the title.
import type { CapabilityId } from "./capabilities.js";
import type { GuaranteeId } from "./guarantees.js";

/**
 * What a test needs of the target, besides a cluster (it is skipped otherwise, with the reason):
 * - kind-cluster: the suite's own kind cluster (its nodes are containers, its StorageClasses, its
 *   API server and disks);
 * - disruptive: node faults allowed (the kind cluster, or STS_ALLOW_DISRUPTIVE=1);
 * - feature-gate: a feature gate of the API server (it keeps the field it gates);
 * - power-cut-storage: a class whose unsynced writes a node's power cut takes (kind's lazyfs);
 * - run-claim: the run's storage claim it is the control of (a topology);
 * - fault-choice: the chaos run's fault kinds (one of two tests runs, by whether nodes are cut off).
 */
export type Need = "kind-cluster" | "disruptive" | "feature-gate" | "power-cut-storage" | "run-claim" | "fault-choice";

export interface TestMeta {
  /** What the test shows, after its title's colon. */
  says: string;
  /** The guarantees it checks; for a negative control, those whose check it proves can fail. */
  guarantees?: GuaranteeId[];
  /** A negative control: a fixture broken on purpose, which the same check must flag. */
  control?: true;
  /** The storage capabilities it is part of the proof of. */
  proves?: CapabilityId[];
  /** A mode's test, run by its own command (and npm test), never by a plain run. */
  mode?: "chaos" | "upgrade";
  /** A test of the suite itself, not of a guarantee, headed by what it is about. */
  about?: "Environment" | "Timeline";
  /** A second way of checking the same guarantees, named in the title. */
  variant?: "power loss";
  needs?: Need[];
}

/** A check, a negative control, or a test of the suite itself (it checks no guarantee or capability). */
export type TestKind = "check" | "control" | "suite";

export const kindOf = (m: TestMeta): TestKind =>
  m.control ? "control" : (m.guarantees?.length ?? 0) + (m.proves?.length ?? 0) > 0 ? "check" : "suite";

const modeHead = { chaos: "Chaos", upgrade: "Upgrade" } as const;

/**
 * What a test's title starts with: what it is about; or its mode, the guarantees it checks (a
 * storage test that checks none: "Storage" and its capability) and its variant.
 */
function headOf(m: TestMeta): string {
  if (m.about) return m.about;
  const checks = m.guarantees?.length ? m.guarantees : (m.proves ?? []).map((c) => `Storage ${c}`);
  return [m.mode && modeHead[m.mode], ...checks, m.variant].filter((w) => w !== undefined).join(" ");
}

/** The test's title: "G26: …", "G26 negative control: …", "Chaos G9 G23: …", "Storage expansion: …". */
export function titleOf(m: TestMeta): string {
  const head = `${headOf(m)}${m.control ? " negative control" : ""}`.trim();
  return head ? `${head}: ${m.says}` : m.says;
}

/** What a summary keeps of a test's metadata (and a test without any: the suite's own). */
export interface TestLabels {
  guarantees: string[];
  negativeControl: boolean;
  capabilities: string[];
  kind: TestKind;
}

export const labelsOf = (m: TestMeta | undefined): TestLabels => ({
  guarantees: [...(m?.guarantees ?? [])],
  negativeControl: m?.control === true,
  capabilities: [...(m?.proves ?? [])],
  kind: m ? kindOf(m) : "suite",
});

/** What a test checks, in a word or a few: its guarantees, else its capabilities; undefined for the suite's own. */
export const checksOf = (l: Pick<TestLabels, "guarantees" | "capabilities">): string | undefined =>
  l.guarantees.length > 0 ? l.guarantees.join(" ") : l.capabilities.length > 0 ? l.capabilities.join(" ") : undefined;
