// `version` (also --version, -V): the suite's name, version and the commit it was built from.
import { ExitCode } from "../../errors/harness-error.js";
import { toolInfo } from "../../report/tool-info.js";
import type { Command } from "../command.js";

export const versionCommand: Command = {
  words: "version",
  summary: "the suite's version and the commit it was built from (also --version, -V)",
  flags: [],
  settings: [],
  examples: ["sts-conformance version", "sts-conformance --version"],
  run: async () => {
    const t = toolInfo();
    process.stdout.write(`${t.name} ${t.version} (${t.commit})\n`);
    return ExitCode.Ok;
  },
};
