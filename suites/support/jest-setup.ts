// Runs in every cluster test file: the per-test limit comes from the one timeouts table; each
// test's start is marked for the progress lines of its steps.
import { beforeEach, jest } from "@jest/globals";
import { Timeouts } from "../../harness/config/timeouts.js";
import { testBegins } from "../../harness/report/step.js";

jest.setTimeout(Timeouts.clusterTestMs);
beforeEach(testBegins);
