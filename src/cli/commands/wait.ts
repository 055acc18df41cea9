// `bwemu wait`: flags and help. The command's code (../wait.ts) loads when it runs.
import type { Command } from "commander";
import { lazyAction } from "./lazy.js";

export function register(program: Command): void {
  program
    .command("wait")
    .description("wait until a `bwemu serve` answers its health check (for CI scripts and docker-compose)")
    .option("--url <url>", "the serve origin, or any health URL (default http://127.0.0.1:4010, or BWEMU_SERVE_PORT's port)")
    .option("--timeout <time>", "give up after this long (e.g. 30s, 2m)", "30s")
    .option("--interval <time>", "time between attempts", "250ms")
    .option("--quiet", "print nothing")
    .addHelpText(
      "after",
      "\nAn origin (http://host:port) means its /_bwemu/health; any other URL is asked as it is and must answer 2xx.\n" +
        "Exit codes: 0 ready, 1 not ready within --timeout (the last reason printed), 2 usage error.\n" +
        "Examples:\n  bwemu wait\n  bwemu wait --url http://bwemu:4010 --timeout 60s   # docker-compose healthcheck",
    )
    .action(lazyAction(async () => (await import("../wait.js")).runWait));
}
