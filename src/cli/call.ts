// Placeholder until the `call` command lands; replaced by its owner.
import type { Command } from "commander";
import { UsageError } from "./exit.js";

export function register(program: Command): void {
  program.command("call").description("(not yet available)").action(() => {
    throw new UsageError("`bwemu call` is not available yet");
  });
}
