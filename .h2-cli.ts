import { Command, CommanderError } from "commander";
import { EXIT, UsageError } from "./src/cli/exit.js";
import { register } from "./src/cli/lint.js";
const program = new Command("bwemu").exitOverride().configureOutput({ outputError: (s, write) => write(s) });
register(program);
try { await program.parseAsync(process.argv.slice(2), { from: "user" }); }
catch (e) { if (e instanceof CommanderError) process.exitCode = e.code.startsWith("commander.help") ? 0 : EXIT.USAGE; else if (e instanceof UsageError) { process.stderr.write(`bwemu: ${e.message}\n`); process.exitCode = 2; } else { process.stderr.write(`bwemu: internal error: ${e}\n`); process.exitCode = 3; } }
