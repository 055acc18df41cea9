// `npm run bench [-- name-filter] [--json]`: runs every bench/*.bench.ts in turn and prints its report.
import { readdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join } from "node:path";
import type { BenchReport } from "./types.js";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const json = args.includes("--json");
const filters = args.filter((a) => !a.startsWith("--"));
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

const reports: BenchReport[] = [];
for (const f of files) {
  const mod = (await import(pathToFileURL(join(here, f)).href)) as { default: () => Promise<BenchReport> };
  const r = await mod.default();
  reports.push(r);
  if (!json) {
    console.log(`\n== ${r.name}`);
    for (const l of r.lines) console.log(`   ${l}`);
    if (r.goal) console.log(`   goal: ${r.goal.description}: ${r.goal.met ? "MET" : "NOT MET"}`);
  }
}
if (json) console.log(JSON.stringify(reports, null, 2));
