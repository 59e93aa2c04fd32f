// The import rules (part of `npm run lint`), exit 1 with each breach printed:
// - no cycle: a cycle makes module load order matter and hides which concept depends on which;
// - no arrow up: every room (a harness/ folder, fixtures, suites/support, the specs, bin) imports
//   only rooms below it in `floors`, so a room can be read knowing only what is under it. Unit
//   tests are exempt from this one: a test may hold one room to another (the docs' capability
//   list to the specs), and nothing imports a test.
// An import is a static `import … from "./x"`, a dynamic `import("./x")` or tsx's `tsImport("./x", …)`
// (how the Jest plugins in plain JavaScript load the typed modules): all three are arrows.
//
//   node harness/tools/import-rules.mjs [--root DIR]   DIR: another tree laid out like this one (its tests)
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const rootAt = process.argv.indexOf("--root");
const root =
  rootAt > 0 ? resolve(process.argv[rootAt + 1] ?? ".") : resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const dirs = ["harness", "fixtures", "suites", "bin"];

function* sources(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* sources(path);
    else if (/\.(ts|js|mjs)$/.test(e.name)) yield path;
  }
}

const files = dirs.flatMap((d) => {
  try {
    return [...sources(join(root, d))];
  } catch {
    return []; // a tree without that folder
  }
});
// import … from "./x" (or import "./x") at a line's start; import("./x"); tsImport("./x", import.meta.url)
const arrows = [/^import[^"']*["'](\.{1,2}\/[^"']+)["']/gm, /\b(?:tsImport|import)\(\s*["'](\.{1,2}\/[^"']+)["']/g];
const known = new Set(files);
const edges = new Map(
  files.map((file) => {
    const source = readFileSync(file, "utf8");
    const targets = arrows
      .flatMap((re) => [...source.matchAll(re)])
      .map((m) => resolve(dirname(file), m[1]))
      .flatMap((p) => [p, p.replace(/\.js$/, ".ts")])
      .filter((p) => known.has(p));
    return [file, targets];
  }),
);

/** The rooms, lowest first. A new folder must be given its floor here. */
const floors = [
  "harness/errors",
  "harness/chaos",
  "harness/config",
  "harness/catalogue",
  "harness/verdict",
  "harness/statefulset",
  "harness/kube",
  "harness/timeline",
  "harness/checks",
  "harness/workload",
  "harness/cluster",
  "harness/faults",
  "harness/run",
  "harness/in-cluster",
  "harness/report",
  "harness/storage",
  "fixtures",
  "harness/upgrade",
  "harness/cli",
  "harness/tools",
  "suites/support",
  "suites",
  "bin",
];
const roomOf = (file) => {
  const rel = relative(root, file);
  const room = floors.filter((f) => rel.startsWith(`${f}/`)).sort((a, b) => b.length - a.length)[0];
  if (room === undefined) throw new Error(`${rel}: in no room of import-rules.mjs's floors; give its folder a floor`);
  return room;
};
const upward = [];
for (const [file, targets] of edges) {
  if (/\.test\.(ts|js)$/.test(file)) continue;
  const from = roomOf(file);
  for (const target of new Set(targets)) {
    const to = roomOf(target);
    if (to !== from && floors.indexOf(to) > floors.indexOf(from))
      upward.push(`${relative(root, file)} -> ${relative(root, target)} (${from} is below ${to})`);
  }
}

const cycles = [];
const state = new Map(); // file -> "visiting" | "done"
const visit = (file, path) => {
  if (state.get(file) === "done") return;
  if (state.get(file) === "visiting") {
    cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(root, f)).join(" -> "));
    return;
  }
  state.set(file, "visiting");
  for (const next of edges.get(file) ?? []) visit(next, [...path, file]);
  state.set(file, "done");
};
for (const file of files) visit(file, []);

for (const c of cycles) console.error(`import cycle: ${c}`);
for (const u of upward) console.error(`import up a floor: ${u}`);
if (cycles.length > 0 || upward.length > 0) process.exit(1);
console.log(`imports: no cycle, no arrow up, in ${files.length} files over ${floors.length} floors`);
