// `npm run docs`: writes the docs pages made from the catalogue and the specs' metadata
// (harness/catalogue/pages.ts); a unit test fails while a page differs from what this writes.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { guaranteesPage, upstreamPage } from "../catalogue/pages.js";
import { specTests } from "../catalogue/specs.js";
import { repoRoot } from "../config/paths.js";

export const generatedPages = { "docs/guarantees.md": guaranteesPage, "docs/upstream-e2e.md": upstreamPage };

if (process.argv[1]?.endsWith("docs.ts"))
  for (const [file, page] of Object.entries(generatedPages)) {
    writeFileSync(join(repoRoot, file), page(specTests()));
    process.stdout.write(`${file}\n`);
  }
