// Placeholder until the `stub` command lands; replaced by its owner.
import type { Command } from "commander";
import { UsageError } from "./exit.js";

export function register(program: Command): void {
  program.command("stub").description("(not yet available)").action(() => {
    throw new UsageError("`bwemu stub` is not available yet");
  });
}
