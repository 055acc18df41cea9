// `bwemu demo` (what `npm start` runs): the whole loop on embedded defaults — the reference bridge,
// the Realtime stub and the emulator on loopback, the full suite, the HTML report under reports/out/.
import type { Command } from "commander";
import { resolve } from "node:path";
import { resolveConfig } from "../config.js";
import { runTest } from "../run/index.js";
import { printSummary, progressPrinter } from "./summary.js";

export function register(program: Command): void {
  program
    .command("demo")
    .description("run the full suite against the bundled reference bridge and stub, and write the HTML report")
    .option("--out <dir>", "where reports go", "reports/out")
    .action(async (opts) => {
      const config = resolveConfig({}, { out: resolve(opts.out), reporters: ["html", "json", "junit", "markdown"] }, { ...process.env, OPENAI_API_KEY: undefined });
      const outcome = await runTest({ config, bridge: "reference", onProgress: progressPrinter(process.stdout) });
      printSummary(process.stdout, outcome, { color: !!process.stdout.isTTY && !process.env.NO_COLOR });
      const html = outcome.reports.find((r) => r.reporter === "html");
      if (html) process.stdout.write(`\nOpen the report: file://${resolve(html.path)}\n`);
      process.exitCode = outcome.exitCode;
    });
}
