// `bwemu test`: the conformance suite against a bridge.
import type { Command } from "commander";
import { loadCases, selectCases } from "../../suites/runner.js";
import { loadConfigFile, resolveConfig, type BwemuConfig } from "../config.js";
import { runTest } from "../run/index.js";
import type { ReporterName } from "../../reports/model.js";
import { EXIT } from "./exit.js";
import { printSummary, progressPrinter } from "./summary.js";

const list = (v: string, prev: string[] = []) => [...prev, ...v.split(",").map((s) => s.trim()).filter(Boolean)];

export function register(program: Command): void {
  program
    .command("test")
    .description("run the conformance suite against a bridge")
    .option("--app <url>", "the app's initiate URL (CallInitiatedCallbackUrl)")
    .option("--bridge <name>", "run a bundled bridge instead: reference, or a faulty one (see fixtures/bridges/faulty)")
    .option("--realtime <stub|url>", "the Realtime side your bridge uses: the stub (default), or the live URL it connects to itself")
    .option("--stub-port <n>", "port of the stub your bridge connects to (default 4020 with --app)", Number)
    .option("--cases <glob>", "only these case ids (repeatable, comma-separated)", list)
    .option("--exclude <glob>", "skip these case ids (repeatable, comma-separated)", list)
    .option("--strict", "SHOULD cases fail the run too")
    .option("--repeat <n>", "run every scenario N times and report flake rates", Number)
    .option("--baseline <file>", "expected verdicts (JSON): CI fails only on change")
    .option("--reporter <names>", "html,json,junit,sarif,markdown,github (default html,json,junit)", list)
    .option("--out <dir>", "where reports go (default bwemu-report)")
    .option("--callback-user <name>", "Basic user for webhooks (password from BWEMU_CALLBACK_PASSWORD)")
    .option("--status-url <url>", "where the disconnect webhook goes (CallStatusCallbackUrl)")
    .option("--config <file>", "config file (default bwemu.config.ts if present)")
    .option("--list", "print the case catalogue and exit")
    .option("-v, --verbose", "progress even without a TTY")
    .action(async (opts) => {
      if (opts.list) {
        const { selected } = selectCases(await loadCases(), opts.cases, opts.exclude);
        for (const c of selected) process.stdout.write(`${c.id.padEnd(38)} ${c.level.padEnd(6)} ${c.title}\n`);
        process.exitCode = EXIT.OK;
        return;
      }
      const file = await loadConfigFile(opts.config);
      const flags: BwemuConfig = {
        app: opts.app,
        realtime: opts.realtime,
        stubPort: opts.stubPort,
        cases: opts.cases,
        exclude: opts.exclude,
        strict: opts.strict,
        repeat: opts.repeat,
        baseline: opts.baseline,
        reporters: opts.reporter as ReporterName[] | undefined,
        out: opts.out,
        callbackUser: opts.callbackUser,
        statusUrl: opts.statusUrl,
        verbose: opts.verbose,
      };
      const config = resolveConfig(file, flags);
      const tty = process.stdout.isTTY || config.verbose;
      const progress = progressPrinter(process.stdout);
      // Notices (a budget too small for --repeat) print even without a TTY: CI logs need them most.
      const outcome = await runTest({ config, bridge: opts.bridge, onProgress: (p) => (tty || p.kind === "notice") && progress(p) });
      printSummary(process.stdout, outcome, { color: !!process.stdout.isTTY && !process.env.NO_COLOR });
      process.exitCode = outcome.exitCode;
    });
}
