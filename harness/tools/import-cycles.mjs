// Fails when relative imports form a cycle (part of `npm run lint`): a cycle makes module load
// order matter and hides which concept depends on which. Prints each cycle, exit 1.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const dirs = ["harness", "fixtures", "suites", "bin"];

function* sources(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* sources(path);
    else if (/\.(ts|js|mjs)$/.test(e.name)) yield path;
  }
}

const files = dirs.flatMap((d) => [...sources(join(root, d))]);
const known = new Set(files);
const edges = new Map(
  files.map((file) => {
    const targets = [...readFileSync(file, "utf8").matchAll(/^import[^"']*["'](\.{1,2}\/[^"']+)["']/gm)]
      .map((m) => resolve(dirname(file), m[1]))
      .flatMap((p) => [p, p.replace(/\.js$/, ".ts")])
      .filter((p) => known.has(p));
    return [file, targets];
  }),
);

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
if (cycles.length > 0) process.exit(1);
console.log(`import cycles: none in ${files.length} files`);
