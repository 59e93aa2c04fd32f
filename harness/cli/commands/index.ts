// The command table: every command of the CLI, in the order --help lists them. Adding a command is
// a file in this folder and its line here.
import type { Command } from "../command.js";
import { chaosCommand } from "./chaos.js";
import { clusterCommands } from "./cluster.js";
import { imageCommand } from "./image.js";
import { reportCommand } from "./report.js";
import { runCommand } from "./run.js";
import { storageCommand } from "./storage.js";
import { upgradeCommands } from "./upgrade.js";
import { versionCommand } from "./version.js";

export const commands: Command[] = [
  runCommand,
  storageCommand,
  chaosCommand,
  reportCommand,
  imageCommand,
  ...clusterCommands,
  ...upgradeCommands,
  versionCommand,
];

/** The command these words name, if any. */
export const commandOf = (words: string): Command | undefined => commands.find((c) => c.words === words);
