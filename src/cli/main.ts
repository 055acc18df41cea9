// The `bwemu` command line: one file per command, each exporting `register(program)`.
import { Command, CommanderError } from "commander";
import { EXIT, UsageError } from "./exit.js";
import { escapeControls } from "../../emulator/text/escape.js";
type Register = (program: Command) => void;

/** Commands load lazily: `bwemu lint` should not pay for the carrier, the stub and the reports. */
const COMMANDS: Record<string, () => Promise<{ register: Register }>> = {
  lint: () => import("./lint.js"),
  call: () => import("./call.js"),
  stub: () => import("./stub.js"),
  test: () => import("./test.js"),
  demo: () => import("./demo.js"),
};

/** The program with the given commands registered (all of them for help and unknown commands). */
export async function buildProgram(only?: string): Promise<Command> {
  const program = new Command("bwemu")
    .description("A fake Bandwidth carrier for testing voice-AI bridges")
    .version("0.1.0")
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write(s) });
  const names = only && only in COMMANDS ? [only] : Object.keys(COMMANDS);
  for (const name of names) (await COMMANDS[name]()).register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram(argv[0]);
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

const isEntry = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/").split("/").pop()!);
if (isEntry) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
