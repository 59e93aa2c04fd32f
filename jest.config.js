// Two projects: `unit` (pure logic, no cluster, seconds) and `cluster` (real kind cluster).
// ESM throughout: every Kubernetes/execa/p-retry package we use is ESM-only.
import { join } from "node:path";
import { tsImport } from "tsx/esm/api";

// Where reports go comes from the one settings module, like every other STS_* value.
const { paths } = await tsImport("./harness/config/paths.ts", import.meta.url);
const { setting } = await tsImport("./harness/config/settings.ts", import.meta.url);
const reports = paths.reportsDir;
const progressTotal = setting("progressTotal");

const typescript = {
  extensionsToTreatAsEsm: [".ts"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  transform: { "^.+\\.ts$": ["ts-jest", { useESM: true }] },
};

/** @type {import('jest').Config} */
export default {
  // Cluster scenarios wait on the cluster, not the CPU: run test files side by side. Eight: the
  // four files of node faults start first and two of them wait for a fault node (kind-config.yaml
  // keeps two), which leaves four workers to the rest.
  maxWorkers: 8,
  // Files with a test that needs the cluster alone go last (Jest takes the sequencer from the root only).
  testSequencer: "<rootDir>/suites/support/sequencer.js",
  projects: [
    {
      ...typescript,
      displayName: "unit",
      testEnvironment: "node",
      testMatch: ["<rootDir>/harness/**/*.test.ts", "<rootDir>/fixtures/**/*.test.ts"],
    },
    {
      ...typescript,
      displayName: "cluster",
      testMatch: ["<rootDir>/suites/**/*.test.ts"],
      globalSetup: "<rootDir>/suites/support/global-setup.js",
      globalTeardown: "<rootDir>/suites/support/global-teardown.js",
      testEnvironment: "allure-jest/node",
      testEnvironmentOptions: { resultsDir: join(reports, "allure-results") },
      setupFilesAfterEnv: ["<rootDir>/suites/support/jest-setup.ts"],
      slowTestThreshold: 60,
    },
  ],
  // The CLI's runs (it counts their tests) print the suite's own progress lines instead of Jest's
  // default output, so the verdict table and the counts end what a person reads.
  reporters: [
    progressTotal
      ? ["<rootDir>/suites/support/progress-reporter.js", { outputDirectory: reports, total: Number(progressTotal) }]
      : "default",
    ["<rootDir>/suites/support/summary-reporter.js", { outputDirectory: reports }],
  ],
};
