// `bwemu stub`: flags and help. The command's code (../stub.ts) loads when it runs.
import type { Command } from "commander";
import { lazyAction } from "./lazy.js";

export function register(program: Command): void {
  program
    .command("stub")
    .description("run the OpenAI Realtime stub (GA by default; beta with OpenAI-Beta: realtime=v1) until interrupted")
    .option("--port <n>", "port to listen on (0 = any free port)", "4020")
    .option("--host <addr>", "address to bind", "127.0.0.1")
    .option("--script <file>", "reply script (JSON or YAML); default: the built-in script")
    .option("--reject-beta", "answer beta clients like live since 2026-05-12 (beta_api_shape_disabled, close 4000)")
    .option("--log", "print one line per Realtime event (no audio, no secrets)")
    .option("--tls", "serve wss:// with the bundled test certificate (trust its CA in the client)")
    .option("--session-max-ms <ms>", "session cap before session_expired + close 1001 (default 3600000)")
    .option("--silence-default <ms>", "silence_duration_ms for bare {type:'server_vad'} and the session default (live 200, docs 500)")
    .option("--seed <n>", "id seed (reproducible ids)")
    .addHelpText(
      "after",
      '\nWhen it listens, the first line on stdout is one JSON object:\n  {"event":"ready","url":"ws://127.0.0.1:4020/v1/realtime","health":"http://127.0.0.1:4020/health"}\n' +
        "GET /health on the same port answers 200 with JSON while it runs. SIGINT or SIGTERM stops it (exit 0).\n" +
        "Exit codes: 0 stopped by a signal, 2 usage error (bad flag or script, port in use).\n" +
        "Examples:\n  bwemu stub                                  # ws://127.0.0.1:4020/v1/realtime\n" +
        "  bwemu stub --port 0 --log                   # any free port; one line per event\n" +
        "  bwemu stub --script replies.yaml --reject-beta\n" +
        "  bwemu stub --port 0 | head -1 | jq -r .url  # the URL, for a script",
    )
    .action(lazyAction(async () => (await import("../stub.js")).runStub));
}
