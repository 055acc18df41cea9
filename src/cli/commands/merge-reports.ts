// `bwemu merge-reports`: flags and help. The code (src/run/merge-reports.ts) loads when it runs.
import type { Command } from "commander";

const list = (v: string, prev: string[] = []) => [...prev, ...v.split(",").map((s) => s.trim()).filter(Boolean)];

export function register(program: Command): void {
  program
    .command("merge-reports")
    .description("merge the blob results of a sharded run (bwemu test --shard i/n) into one set of reports")
    .argument("<dirs...>", "folders holding the shards' bwemu-blob-<i>-of-<n>.json files (or the files)")
    .option("--reporter <names>", "html,json,junit,sarif,markdown,github (default html,json,junit)", list)
    .option("--out <dir>", "where reports go (default bwemu-report)")
    .addHelpText(
      "after",
      "\nEvery shard of the run must be there, once, from the same bwemu and the same flags; the reports are\n" +
        "those one unsharded run writes (latency figures from the merged samples, never averaged percentiles).\n" +
        "Exit codes: as `bwemu test`, from the merged verdicts: 0 no failure, 1 the bridge failed a case,\n" +
        "2 a missing, duplicate, mismatched or damaged blob (named), 3 a harness error in a shard.\n" +
        "Examples:\n  bwemu merge-reports blob-1 blob-2 blob-3 --out bwemu-report\n" +
        "  bwemu merge-reports all-blobs --reporter html,json,junit,sarif,github",
    )
    .action(async (dirs: string[], flags: { reporter?: string[]; out?: string }) => {
      const [{ mergeReports }, { REPORTERS }, { UsageError }, { checkWritableDir }, { colorsFor }, { printSummary }, { escapeControls }] = await Promise.all([
        import("../../run/merge-reports.js"),
        import("../../../reports/model.js"),
        import("../../exit.js"),
        import("../files.js"),
        import("../colors.js"),
        import("../summary.js"),
        import("../../../emulator/text/escape.js"),
      ]);
      const reporters = flags.reporter ?? ["html", "json", "junit"];
      for (const r of reporters) if (!(REPORTERS as readonly string[]).includes(r)) throw new UsageError(`--reporter: unknown reporter "${r}" (one of ${REPORTERS.join(", ")})`);
      const outDir = flags.out ?? "bwemu-report";
      await checkWritableDir(outDir, "--out");
      const outcome = await mergeReports({ inputs: dirs, outDir, reporters: reporters as (typeof REPORTERS)[number][] });
      process.stdout.write(`merged ${outcome.blobs.length} shard${outcome.blobs.length === 1 ? "" : "s"}: ${escapeControls(outcome.blobs.join(", "))}\n`);
      printSummary(process.stdout, { ...outcome, verdicts: [] }, { colors: colorsFor(process.stdout) });
      process.exitCode = outcome.exitCode;
    });
}
