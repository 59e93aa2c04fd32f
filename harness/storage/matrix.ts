// The claimed-versus-verified matrix of a storage run: per capability, what the class claims (its
// profile, or what the cluster says, marked inferred) beside what the run verified, and what that
// pair means to the vendor. A claimed capability the run did not verify is no pass. Then the
// latency table: per operation its samples' p50, p95 and max against the profile's budget.
import type { CapabilityResult, CapabilityVerdict } from "./capabilities.js";
import { capabilities } from "./capabilities.js";
import type { JUnitSuite } from "../report/junit.js";
import type { Expectations } from "./expectations.js";
import { latencyMeaning, latencyOperations, type LatencyOperation } from "./profile.js";

/** What a class says of a capability: claimed by its profile, inferred from the cluster, required of every class, or not claimed. */
export type ClaimState = "claimed" | "inferred" | "required" | "not claimed";

/** What the run found, beside the tests' verdict: a capability the class refused is "not offered". */
export type Verified = CapabilityVerdict | "not offered";

export type Outcome =
  | "claimed and held"
  | "claimed, partly verified"
  | "claimed and BROKEN"
  | "claimed, undecided"
  | "claimed but not run"
  | "not claimed but held"
  | "not claimed, held in part"
  | "not claimed, not offered"
  | "not claimed and not run"
  | "not claimed and BROKEN"
  | "waived";

export interface MatrixRow {
  id: string;
  meaning: string;
  claim: ClaimState;
  /** The claimed value where it is more than yes or no (the topology). */
  value?: string;
  /** What the claim rests on. */
  basis: string;
  verified: Verified;
  outcome: Outcome;
  /** Why it was not run, what was refused, or which tests did not hold. */
  why?: string;
  tests: CapabilityResult["tests"];
}

/** A capability the class refused when the run tried it (the API server's answer, say). */
export interface NotOffered {
  capability: string;
  why: string;
}

function claimOf(id: string, e: Expectations | undefined): Pick<MatrixRow, "claim" | "value" | "basis"> {
  const promise = capabilities.find((c) => c.id === id)?.promise;
  if (!promise) return { claim: "required", basis: "every class a StatefulSet uses must" };
  if (!e) return { claim: "inferred", basis: "no expectations: a run without the storage profile's setup" };
  const x = e[promise];
  if (x.asSeen) return { claim: x.source, value: "as its volumes show", basis: x.basis };
  if (typeof x.value === "string") return { claim: x.source, value: x.value, basis: x.basis };
  return x.value ? { claim: x.source, basis: x.basis } : { claim: "not claimed", basis: x.basis };
}

function outcomeOf(claim: ClaimState, verified: Verified): Outcome {
  const claimedIt = claim !== "not claimed";
  switch (verified) {
    case "held":
      return claimedIt ? "claimed and held" : "not claimed but held";
    case "held in part":
      return claimedIt ? "claimed, partly verified" : "not claimed, held in part";
    case "BROKEN":
      return claimedIt ? "claimed and BROKEN" : "not claimed and BROKEN";
    case "inconclusive":
      return claimedIt ? "claimed, undecided" : "not claimed and not run";
    case "not run":
      return claimedIt ? "claimed but not run" : "not claimed and not run";
    case "not offered":
      // a test that found it missing where it was claimed fails BROKEN instead
      return claimedIt ? "claimed and BROKEN" : "not claimed, not offered";
  }
}

/** The matrix: each capability's claim beside its verdict (a refused one, where it held, not offered). */
export function claimedVersusVerified(
  results: CapabilityResult[],
  e: Expectations | undefined,
  notOffered: NotOffered[],
): MatrixRow[] {
  return results.map((r) => {
    const refused = notOffered.find((n) => n.capability === r.id);
    const verified: Verified = refused && r.verdict === "held" ? "not offered" : r.verdict;
    const claim = claimOf(r.id, e);
    const waiver = e?.waived?.[r.id as keyof NonNullable<Expectations["waived"]>];
    // a waiver stands for what this target cannot try: it never hides a break, nor claims a hold
    const waived = waiver !== undefined && ["not run", "inconclusive", "held in part"].includes(verified);
    const tried = verified === "not offered" ? refused?.why : r.why;
    const why = waiver === undefined ? tried : `waived by the profile: ${waiver}${tried ? `; ${tried}` : ""}`;
    return {
      id: r.id,
      meaning: r.meaning,
      ...claim,
      verified,
      outcome: waived ? "waived" : outcomeOf(claim.claim, verified),
      ...(why ? { why } : {}),
      tests: r.tests,
    };
  });
}

/** What the vendor reads in each cell: an outcome as a short sentence. */
const advice: Record<Outcome, string> = {
  "claimed and held": "claimed and held",
  "claimed, partly verified": "claimed, partly verified: not every test of it could run here",
  "claimed and BROKEN": "claimed and BROKEN",
  "claimed, undecided": "claimed, undecided: run again",
  "claimed but not run": "claimed but not run",
  "not claimed but held": "not claimed but held: you could claim this",
  "not claimed, held in part": "not claimed, held where it could run",
  "not claimed, not offered": "not claimed, and not offered",
  "not claimed and not run": "not claimed and not run",
  "not claimed and BROKEN": "not claimed, and BROKEN",
  waived: "waived: what this target cannot try",
};

/** What keeps the matrix from letting the run pass: a claim not verified, or verified in part (a BROKEN one fails the run through its test). */
const unverifiedOutcomes: Outcome[] = ["claimed but not run", "claimed, undecided", "claimed, partly verified"];

/** Whether the matrix lets the run pass: every claimed capability verified whole (or waived). */
export const claimsUnverified = (rows: MatrixRow[]): MatrixRow[] =>
  rows.filter((r) => unverifiedOutcomes.includes(r.outcome));

export interface LatencyRow {
  operation: LatencyOperation;
  meaning: string;
  samples: number;
  p50S?: number;
  p95S?: number;
  maxS?: number;
  budgetS: number;
  budgetSource: "profile" | "default";
  verdict: "within budget" | "over budget" | "not measured";
}

/** The sample at `q` (0..1) of sorted samples, nearest rank. */
export function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

const round = (ms: number) => Math.round(ms / 100) / 10;

/** Per operation: its samples' p50/p95/max (seconds) against its budget. */
export function latencyTable(samples: { operation: LatencyOperation; ms: number }[], e: Expectations): LatencyRow[] {
  return latencyOperations.map((op) => {
    const ms = samples.filter((s) => s.operation === op).map((s) => s.ms);
    ms.sort((a, b) => a - b);
    const budget = e.budgetsS[op];
    const base = {
      operation: op,
      meaning: latencyMeaning[op],
      samples: ms.length,
      budgetS: budget.seconds,
      budgetSource: budget.source,
    };
    if (ms.length === 0) return { ...base, verdict: "not measured" };
    const max = ms[ms.length - 1] ?? 0;
    return {
      ...base,
      p50S: round(quantile(ms, 0.5)),
      p95S: round(quantile(ms, 0.95)),
      maxS: round(max),
      verdict: max <= budget.seconds * 1000 ? "within budget" : "over budget",
    };
  });
}

const claimCell = (r: MatrixRow) =>
  r.claim === "required" ? "required" : `${r.value ?? (r.claim === "not claimed" ? "no" : "yes")} (${r.claim})`;

/** The terminal's matrix: a capability a line; under one that did not hold, its tests that did not. */
export function matrixTable(storageClass: string, e: Expectations | undefined, rows: MatrixRow[]): string {
  const idW = Math.max(10, ...rows.map((r) => r.id.length));
  const claimW = Math.max(7, ...rows.map((r) => claimCell(r).length));
  const verW = Math.max(8, ...rows.map((r) => r.verified.length));
  const lines = [
    `storage capabilities of StorageClass ${storageClass}${e?.provisioner ? ` (${e.provisioner})` : ""}: ${
      e?.profile ? `claims from the profile ${e.profile}` : "no profile: claims inferred from the cluster"
    }`,
    `  ${"capability".padEnd(idW)}  ${"claimed".padEnd(claimW)}  ${"verified".padEnd(verW)}  meaning`,
  ];
  for (const r of rows) {
    lines.push(
      `  ${r.id.padEnd(idW)}  ${claimCell(r).padEnd(claimW)}  ${r.verified.padEnd(verW)}  ${advice[r.outcome]}${r.why ? ` (${r.why})` : ""}`,
    );
    if (r.verified === "BROKEN" || r.verified === "inconclusive")
      for (const t of r.tests) lines.push(`  ${"".padEnd(idW)}    ${t.verdict}: ${t.name}`);
  }
  return lines.join("\n");
}

/** The terminal's latency table. */
export function latencyText(rows: LatencyRow[]): string {
  const w = Math.max(...rows.map((r) => r.meaning.length));
  const n = (v: number | undefined) => (v === undefined ? "-" : v.toFixed(1)).padStart(6);
  const lines = [`latencies (seconds):\n  ${"operation".padEnd(w)}   n     p50    p95    max  budget`];
  for (const r of rows)
    lines.push(
      `  ${r.meaning.padEnd(w)}  ${String(r.samples).padStart(2)}  ${n(r.p50S)} ${n(r.p95S)} ${n(r.maxS)}  ${String(r.budgetS).padStart(6)}${r.budgetSource === "default" ? " (default)" : ""}  ${r.verdict}`,
    );
  return lines.join("\n");
}

/** What a capability's JUnit case is: passed, failed (broken, or claimed and not verified), or skipped with why. */
const junitOf: Record<Outcome, "pass" | "failure" | "error" | "skipped"> = {
  "claimed and held": "pass",
  "not claimed but held": "pass",
  "claimed, partly verified": "error",
  "not claimed, held in part": "skipped",
  "claimed and BROKEN": "failure",
  "not claimed and BROKEN": "failure",
  "claimed, undecided": "error",
  "claimed but not run": "error",
  "not claimed, not offered": "skipped",
  "not claimed and not run": "skipped",
  waived: "skipped",
};

/** The matrix as a JUnit suite: a case per capability, named after it, its outcome and why as the message. */
export function matrixJUnit(storageClass: string, rows: MatrixRow[]): JUnitSuite {
  return {
    name: `storage capabilities of StorageClass ${storageClass}`,
    cases: rows.map((r) => {
      const kind = junitOf[r.outcome];
      const message = `${advice[r.outcome]}${r.why ? ` (${r.why})` : ""}`;
      return {
        classname: "storage capabilities",
        name: `${r.id}: ${r.meaning}`,
        seconds: 0,
        ...(kind === "pass" ? {} : { outcome: { kind, type: r.outcome, message } }),
      };
    }),
  };
}
