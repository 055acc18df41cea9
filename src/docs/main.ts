// `npm run docs`: (re)writes the generated pages under docs/ and removes stale ones;
// `npm run docs -- --check` only reports drift (exit 1), as the docs test does.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { generateDocs, GENERATED_DIRS, type DocsTree } from "./generate.js";

/** The repository's docs/ folder. */
export const DOCS_DIR = fileURLToPath(new URL("../../docs/", import.meta.url));

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** Generated paths whose file is missing or different, and files in generated folders nothing generates. */
export function docsDrift(tree: DocsTree, dir = DOCS_DIR): { changed: string[]; stale: string[] } {
  const changed = [...tree].filter(([p, text]) => !existsSync(join(dir, p)) || readFileSync(join(dir, p), "utf8") !== text).map(([p]) => p);
  const stale = GENERATED_DIRS.flatMap((d) => filesUnder(join(dir, d)))
    .map((f) => relative(dir, f).split(sep).join("/"))
    .filter((p) => !tree.has(p));
  return { changed, stale };
}

export function writeDocs(tree: DocsTree, dir = DOCS_DIR): { changed: string[]; stale: string[] } {
  const drift = docsDrift(tree, dir);
  for (const p of drift.changed) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), tree.get(p)!, "utf8");
  }
  for (const p of drift.stale) rmSync(join(dir, p));
  return drift;
}

async function main(): Promise<void> {
  const check = process.argv.includes("--check");
  const tree = await generateDocs();
  const drift = check ? docsDrift(tree) : writeDocs(tree);
  const n = drift.changed.length + drift.stale.length;
  for (const p of drift.changed) process.stdout.write(`${check ? "out of date" : "wrote"}: docs/${p}\n`);
  for (const p of drift.stale) process.stdout.write(`${check ? "stale" : "removed"}: docs/${p}\n`);
  process.stdout.write(`${tree.size} generated pages, ${n} ${check ? "out of date (run npm run docs)" : "updated"}\n`);
  if (check && n > 0) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
