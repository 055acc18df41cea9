// Placeholder until the `test` command lands; replaced by its owner.
import type { Command } from "commander";
import { UsageError } from "./exit.js";

export function register(program: Command): void {
  program.command("test").description("(not yet available)").action(() => {
    throw new UsageError("`bwemu test` is not available yet");
  });
}
