// `bwemu demo` (what `npm start` runs): flags and help. The command's code (../demo.ts) loads when it runs.
import type { Command } from "commander";
import { lazyAction } from "./lazy.js";

export function register(program: Command): void {
  program
    .command("demo")
    .description("run the full suite against the bundled reference bridge and stub, and write the HTML report")
    .option("--out <dir>", "where reports go", "reports/out")
    .addHelpText(
      "after",
      "\nExit codes as for bwemu test: 0 the reference bridge passed, 1 a case failed, 3 the harness failed.\n" +
        "Examples:\n  bwemu demo                      # reports/out/report.html\n  bwemu demo --out /tmp/bwemu-demo",
    )
    .action(lazyAction(async () => (await import("../demo.js")).runDemo));
}
