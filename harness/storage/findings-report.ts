// A storage run's findings at its end: per capability its claim beside its verdict (the matrix) and
// the latency table, written to reports/storage-capabilities.json and handed to the run's result
// (summary.json's `storage`, the text after the run's table, the claims the run did not verify).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { setting } from "../config/settings.js";
import { powerLossClass } from "../run/conditions.js";
import { reportFiles, type StorageOutcome } from "../report/run-result.js";
import { faultKinds, isDisruptive, type FaultKind } from "../chaos/catalogue.js";
import { capabilityVerdicts, type CapabilityResult, type CapabilityTest } from "./capabilities.js";
import { runExpectations } from "./expectations.js";
import { readLatencies, readNotOffered } from "./findings.js";
import {
  claimedVersusVerified,
  claimsUnverified,
  latencyTable,
  latencyText,
  matrixJUnit,
  matrixTable,
} from "./matrix.js";

/**
 * The tests as proofs of `storageClass`: the power-loss tests run on the kind cluster's lazyfs
 * whatever class the run judges (for G9), so for any other class they prove nothing.
 */
export function onTheClass(tests: CapabilityTest[], storageClass: string): CapabilityTest[] {
  if (storageClass === powerLossClass) return tests;
  return tests.map((t) =>
    t.capabilities.includes("power-loss-durable") && t.verdict !== "skipped"
      ? {
          ...t,
          verdict: "skipped",
          skipReason: `it ran on StorageClass ${powerLossClass} (a power cut needs it): it proves ${powerLossClass}, not ${storageClass}`,
        }
      : t,
  );
}

/**
 * `writes-survive-node-faults` is proved by a chaos round of every node and control-plane fault:
 * one that made fewer (the kinds this target can have made, or STS_CHAOS_FAULTS's) held in part,
 * naming the kinds it made and those it did not.
 */
export function ofTheRound(results: CapabilityResult[], made: FaultKind[]): CapabilityResult[] {
  const missing = faultKinds.filter(isDisruptive).filter((k) => !made.includes(k));
  const round = `its chaos round made ${made.filter(isDisruptive).join(", ") || "no node fault"}, not ${missing.join(", ")}`;
  return results.map((r) =>
    r.id === "writes-survive-node-faults" &&
    (r.verdict === "held" || r.verdict === "held in part") &&
    missing.length > 0
      ? { ...r, verdict: "held in part", why: r.verdict === "held in part" && r.why ? `${r.why}; ${round}` : round }
      : r,
  );
}

/**
 * The findings of a run over `tests` (the run's, with those its --focus/--skip left out as
 * skipped); undefined unless the run is a storage one (the storage command, or a run with a profile).
 */
export function storageFindings(dir: string, tests: CapabilityTest[]): StorageOutcome | undefined {
  if (setting("profile") !== "storage" && !setting("storageProfile")) return undefined;
  // the class the preflight chose (exported by the global setup), unless it did not run
  const storageClass = setting("storageClassInUse") || "(the cluster's default)";
  const expectations = runExpectations();
  const matrix = claimedVersusVerified(
    ofTheRound(capabilityVerdicts(onTheClass(tests, storageClass)), setting("chaosFaults")),
    expectations,
    readNotOffered(dir),
  );
  const latencies = expectations ? latencyTable(readLatencies(dir), expectations) : [];
  const unverified = claimsUnverified(matrix).map((r) => r.id);
  const findings = { storageClass, profile: expectations?.profile, expectations, matrix, latencies, unverified };
  writeFileSync(join(dir, reportFiles.storage), JSON.stringify(findings, null, 2));
  const text = [matrixTable(storageClass, expectations, matrix), ...(latencies.length ? [latencyText(latencies)] : [])];
  return { findings, text: text.join("\n\n"), junit: matrixJUnit(storageClass, matrix) };
}
