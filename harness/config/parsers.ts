// The parsers of the settings table (settings.ts): each takes a variable's raw value and its name,
// and returns the value or throws one line (HarnessError, exit 2) naming the variable and what it
// wants. Paths are probed, not trusted to their permission bits.
import { accessSync, constants, existsSync, mkdtempSync, rmdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { HarnessError } from "../errors/harness-error.js";

export type Parse<T> = (raw: string, name: string) => T;

export const bad = (name: string, raw: string, want: string) =>
  new HarnessError(`${name}="${raw}" is not ${want}; unset it or give ${want}`);

export const text: Parse<string> = (raw) => raw;

/** Paths found writable: settings are read again at each use, the probe is made once. */
const writable = new Set<string>();

/** Why `path` cannot be written (created if missing, as a directory or a file), or undefined if it can. */
function unwritable(path: string, as: "directory" | "file"): string | undefined {
  if (writable.has(`${as}:${path}`)) return undefined;
  const why = probeWrite(path, as);
  if (why === undefined) writable.add(`${as}:${path}`);
  return why;
}

function probeWrite(path: string, as: "directory" | "file"): string | undefined {
  let p = resolve(path);
  if (existsSync(p) && statSync(p).isDirectory() !== (as === "directory")) return `it is not a ${as}`;
  while (!existsSync(p)) p = dirname(p); // the nearest existing folder is where it would be made
  if (!statSync(p).isDirectory()) return `${p} is a file`;
  try {
    // made and removed at once: a mode or a mount (read-only, /proc) the permission bits do not show
    rmdirSync(mkdtempSync(join(p, ".sts-write-probe-")));
    return undefined;
  } catch (e) {
    return `${p} cannot be written (${(e as NodeJS.ErrnoException).code ?? "denied"})`;
  }
}

/** A directory the suite writes to: checked with every other setting, before anything is touched. */
export const writableDir: Parse<string> = (raw, name) => {
  const why = raw === "" ? undefined : unwritable(raw, "directory");
  if (why)
    throw new HarnessError(`${name}="${raw}" is not a directory the suite can write (${why}); unset it or give one`);
  return raw;
};

/** A file the suite appends to. */
export const writableFile: Parse<string> = (raw, name) => {
  const why = raw === "" ? undefined : unwritable(raw, "file");
  if (why)
    throw new HarnessError(`${name}="${raw}" is not a file the suite can append to (${why}); unset it or give one`);
  return raw;
};

/** A file the suite reads (a flag's too: `name` is the flag). */
export const readableFile: Parse<string> = (raw, name) => {
  if (raw === "") return raw;
  try {
    if (!statSync(raw).isFile()) throw new Error("not a file");
    accessSync(raw, constants.R_OK);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === "ENOENT" ? "it does not exist" : "it cannot be read as a file";
    throw new HarnessError(`${name}="${raw}": ${why}; give a file that can be read`);
  }
  return raw;
};

export const flag: Parse<boolean> = (raw, name) => {
  if (["1", "true", "yes"].includes(raw)) return true;
  if (["0", "false", "no", ""].includes(raw)) return false;
  throw bad(name, raw, "1 or 0");
};

/** A number of `unit` from min to max. */
const numberOf =
  (unit: string) =>
  (min: number, max: number): Parse<number> =>
  (raw, name) => {
    const n = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(n) || n < min || n > max)
      throw bad(name, raw, `a number of ${unit} from ${min} to ${max}`);
    return n;
  };

export const seconds = numberOf("seconds");
export const milliseconds = numberOf("milliseconds");

/** A chaos flag's own parser, its message naming the variable it came from. */
export const chaosValue =
  <T>(parse: (raw: string) => T): Parse<T> =>
  (raw, name) => {
    try {
      return parse(raw);
    } catch (e) {
      throw new HarnessError(`${name}: ${(e as Error).message}`);
    }
  };

// kind's own rule for cluster names (they become container and DNS names).
export const clusterName: Parse<string> = (raw, name) => {
  if (!/^[a-z0-9][a-z0-9.-]{0,48}$/.test(raw)) throw bad(name, raw, "a kind cluster name (a-z, 0-9, '.', '-')");
  return raw;
};

/** A namespace's name: a DNS label (RFC 1123), at most 63 characters. */
export const namespaceName: Parse<string> = (raw, name) => {
  if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(raw))
    throw bad(name, raw, "a namespace name (a-z, 0-9, '-', at most 63, starting and ending alphanumeric)");
  return raw;
};

/** A Kubernetes release the image build can make (kind-config.yaml's kubelet settings need 1.31+). */
export const kubernetesVersion: Parse<string> = (raw, name) => {
  const m = /^v1\.(\d+)\.\d+$/.exec(raw);
  if (raw !== "" && (!m || Number(m[1]) < 31)) throw bad(name, raw, "a Kubernetes release vX.Y.Z, v1.31.0 or later");
  return raw;
};

/** A registry to push to: HOST[:PORT][/PATH] ("" = none). */
export const registryAddress: Parse<string> = (raw, name) => {
  if (raw !== "" && !/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._/-]+)?$/i.test(raw))
    throw bad(name, raw, "a registry HOST[:PORT][/PATH], e.g. localhost:5001");
  return raw;
};

/** A size such as 16Mi or 1Gi (a claim's request). */
export const size: Parse<string> = (raw, name) => {
  if (!/^\d+(Ki|Mi|Gi|Ti|k|M|G|T)?$/.test(raw)) throw bad(name, raw, "a size such as 16Mi or 1Gi");
  return raw;
};

/** One of these words. */
export const oneOf =
  <T extends string>(...words: T[]): Parse<T> =>
  (raw, name) => {
    if (!(words as string[]).includes(raw)) throw bad(name, raw, words.map((w) => `'${w}'`).join(" or "));
    return raw as T;
  };
