// `run`: the suite's guarantees on the target (default: a kind cluster it creates or reuses).
import type { Command } from "../command.js";
import { onCluster } from "../flags.js";
import { withHtml } from "./report.js";
import { withProfile } from "./storage.js";

export const runCommand: Command = {
  words: "run",
  summary: "run the suite (default target: a kind cluster it creates or reuses)",
  flags: [...onCluster, "focus", "skip", "list", "json", "profile", "rerun-failed"],
  settings: [
    "kubeconfig",
    "context",
    "storageClass",
    "storageProfile",
    "focus",
    "skip",
    "clusterName",
    "kubernetesVersion",
    "keepCluster",
    "allowDisruptive",
    "nodeFaultsVia",
    "quietWindowS",
    "dnsPropagationS",
    "fixtureImage",
  ],
  examples: ["sts-conformance run --focus G26,G28 --html", "sts-conformance run --kubeconfig ~/.kube/config --list"],
  run: (o) => withHtml(o, () => withProfile(o, "guarantees")),
};
