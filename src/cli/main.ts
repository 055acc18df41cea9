// The `bwemu` command line: one file per command, each exporting `register(program)`.
import { Command, CommanderError } from "commander";
import { EXIT, UsageError } from "./exit.js";
import { register as lint } from "./lint.js";
import { register as call } from "./call.js";
import { register as stub } from "./stub.js";
import { register as test } from "./test.js";
import { register as demo } from "./demo.js";

export function buildProgram(): Command {
  const program = new Command("bwemu")
    .description("A fake Bandwidth carrier for testing voice-AI bridges")
    .version("0.1.0")
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write(s) });
  for (const register of [lint, call, stub, test, demo]) register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
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
      process.stderr.write(`bwemu: ${e.message}\n`);
      return EXIT.USAGE;
    }
    process.stderr.write(`bwemu: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.HARNESS;
  }
}

const isEntry = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/").split("/").pop()!);
if (isEntry) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
