// `bwemu lint`: flags and help. The command's code (../lint.ts) loads when it runs.
import { Option, type Command } from "commander";
import { lazyAction } from "./lazy.js";
import type { BxmlContext } from "../../../emulator/bxml/model.js";
import type { LintFormat } from "../../../reports/lint/index.js";

// Records keyed by the types, so the choices cannot drift from them (and load nothing).
const FORMATS: Record<LintFormat, true> = { text: true, json: true, sarif: true, junit: true, github: true };
const CONTEXTS: Record<BxmlContext, true> = { initiate: true, transferAnswer: true, conference: true };

export function register(program: Command): void {
  program
    .command("lint")
    .description("check BXML documents against Bandwidth's verb catalogue and the known pitfalls")
    .argument("[inputs...]", "files, directories (walked for *.xml, *.bxml), globs, - for stdin, or an app's http(s) URL (POSTed a sample initiate, as Bandwidth would)")
    .addOption(new Option("-f, --format <format>", "output format").choices(Object.keys(FORMATS)).default("text"))
    .addOption(new Option("--context <context>", "where the documents run").choices(Object.keys(CONTEXTS)).default("initiate"))
    .option("--base-url <url>", "the URL that serves the documents: relative URLs are resolved against it")
    .option("--strict", "warnings fail too (exit 1)")
    .option("--watch", "re-lint files when they change (runs until interrupted)")
    .option("--list-rules", "print every rule (id, level, kind, source) and exit")
    .addHelpText(
      "after",
      "\nExit codes: 0 clean, 1 findings at the failing level, 2 usage or I/O error.\n" +
        "Examples:\n  bwemu lint answer.xml\n  bwemu lint 'bxml/**/*.xml' --format sarif > lint.sarif\n  curl -s https://app/answer | bwemu lint - --base-url https://app/answer\n  bwemu lint http://127.0.0.1:3000/voice              # the document your running app serves",
    )
    .action(lazyAction(async () => (await import("../lint.js")).runLint));
}
