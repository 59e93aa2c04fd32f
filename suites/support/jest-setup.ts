// Runs in every cluster test file: the per-test limit comes from the one timeouts table.
import { jest } from "@jest/globals";
import { Timeouts } from "../../harness/config/timeouts.js";

jest.setTimeout(Timeouts.clusterTestMs);
