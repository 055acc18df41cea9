// The `bwemu` command line. Each command's flags and help live in commands/<name>.ts (commander
// only); its code loads inside the action, so `bwemu --version` and `--help` load commander alone.
import { Command, CommanderError } from "commander";
import { EXIT, UsageError } from "../exit.js";
import * as lint from "./commands/lint.js";
import * as call from "./commands/call.js";
import * as stub from "./commands/stub.js";
import * as test from "./commands/test.js";
import * as demo from "./commands/demo.js";
import * as mergeReports from "./commands/merge-reports.js";
import * as serve from "./commands/serve.js";
import * as wait from "./commands/wait.js";
import * as load from "./commands/load.js";
import { escapeControls } from "../../emulator/text/escape.js";

const COMMANDS: { register(program: Command): void }[] = [lint, call, stub, test, demo, serve, wait, load, mergeReports];

export function buildProgram(): Command {
  const program = new Command("bwemu")
    .description("A fake Bandwidth carrier for testing voice-AI bridges")
    .version("0.1.0")
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write(s) })
    .addHelpText(
      "after",
      "\nExit codes: 0 clean, 1 findings (lint errors, failed cases, a misbehaving app), 2 usage or config error, 3 bwemu itself failed.\n" +
        "Colour: on a terminal; NO_COLOR=1 turns it off, FORCE_COLOR=1 on (FORCE_COLOR wins).\n" +
        "Examples:\n  bwemu lint answer.xml\n  bwemu test --bridge reference --cases 'answer.*'\n" +
        "  bwemu test --app http://127.0.0.1:3000/voice --wait-for-app 30s\n  bwemu call --app http://127.0.0.1:3000/voice --turns 3\n" +
        "  bwemu stub\n  bwemu <command> --help",
    );
  for (const c of COMMANDS) c.register(program);
  return program;
}

/**
 * A reader that goes away (`bwemu test --list | head -1`) is not an error: further output is dropped
 * and the command ends as it would have (children stopped, reports written), without a stack trace.
 */
export function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
    stream.write = (() => true) as typeof stream.write;
  });
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return EXIT.USAGE;
  }
  try {
    await program.parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version are not errors.
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return EXIT.OK;
      return EXIT.USAGE;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`bwemu: ${escapeControls(e.message)}\n`);
      return EXIT.USAGE;
    }
    process.stderr.write(`bwemu: internal error: ${escapeControls(e instanceof Error ? e.message : String(e))}\n`);
    return EXIT.HARNESS;
  }
}

/** The process's CLI: what bin/bwemu.js runs (closed pipes handled, the exit code set). */
export async function cli(argv: string[] = process.argv.slice(2)): Promise<void> {
  quietOnClosedPipe(process.stdout);
  quietOnClosedPipe(process.stderr);
  process.exitCode = await main(argv);
}

const isEntry = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/").split("/").pop()!);
if (isEntry) void cli();
