// Placeholder until the `lint` command lands; replaced by its owner.
import type { Command } from "commander";
import { UsageError } from "./exit.js";

export function register(program: Command): void {
  program.command("lint").description("(not yet available)").action(() => {
    throw new UsageError("`bwemu lint` is not available yet");
  });
}
