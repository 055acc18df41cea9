// The CLI's exit codes and usage error are the library's (src/exit.ts); re-exported for the commands.
export { EXIT, UsageError } from "../exit.js";
