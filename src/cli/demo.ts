// `bwemu demo` (what `npm start` runs): the whole loop on embedded defaults — the reference bridge,
// the Realtime stub and the emulator on loopback, the full suite, the HTML report under reports/out/.
import { resolve } from "node:path";
import { resolveConfig } from "../config.js";
import { runTest } from "../run/index.js";
import { colorsFor } from "./colors.js";
import { checkWritableDir } from "./files.js";
import { printSummary, progressPrinter } from "./summary.js";

export async function runDemo(opts: { out: string }): Promise<number> {
  const config = resolveConfig({}, { out: resolve(opts.out), reporters: ["html", "json", "junit", "markdown"] }, { ...process.env, OPENAI_API_KEY: undefined });
  await checkWritableDir(config.out, "--out");
  const colors = colorsFor(process.stdout);
  const outcome = await runTest({ config, bridge: "reference", onProgress: progressPrinter(process.stdout, { starts: true, colors }) });
  printSummary(process.stdout, outcome, { colors });
  const html = outcome.reports.find((r) => r.reporter === "html");
  if (html) process.stdout.write(`\nOpen the report: file://${resolve(html.path)}\n`);
  return outcome.exitCode;
}
