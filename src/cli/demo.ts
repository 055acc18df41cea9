// Placeholder until the `demo` command lands; replaced by its owner.
import type { Command } from "commander";
import { UsageError } from "./exit.js";

export function register(program: Command): void {
  program.command("demo").description("(not yet available)").action(() => {
    throw new UsageError("`bwemu demo` is not available yet");
  });
}
