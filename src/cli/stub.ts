// `bwemu stub`: run the deterministic OpenAI Realtime stub until SIGINT/SIGTERM (issue 4; spec
// openai-realtime.md §13). Prints the URL on a `Ready.` line; `--log` prints one line per event
// (types, sizes and error codes only: never audio, never credentials).
import type { Command } from "commander";
import { UsageError } from "./exit.js";
import { escapeControls } from "../../emulator/text/escape.js";
import { startRealtimeStub, type StubOptions } from "../../emulator/realtime/server.js";
import { ScriptError } from "../../emulator/realtime/script.js";
import { testTls } from "../../emulator/realtime/tls.js";

interface Flags {
  port: string;
  host: string;
  script?: string;
  rejectBeta?: boolean;
  log?: boolean;
  tls?: boolean;
  sessionMaxMs?: string;
  silenceDefault?: string;
  seed?: string;
}

function int(v: string | undefined, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name}: expected an integer in ${min}..${max}, got '${v}'`);
  return n;
}

export function register(program: Command): void {
  program
    .command("stub")
    .description("Run the OpenAI Realtime stub (GA by default; beta with OpenAI-Beta: realtime=v1) until interrupted")
    .option("--port <n>", "port to listen on (0 = any free port)", "0")
    .option("--host <addr>", "address to bind", "127.0.0.1")
    .option("--script <file>", "reply script (JSON or YAML); default: the built-in script")
    .option("--reject-beta", "answer beta clients like live since 2026-05-12 (beta_api_shape_disabled, close 4000)")
    .option("--log", "print one line per Realtime event (no audio, no secrets)")
    .option("--tls", "serve wss:// with the test certificate (emulator/realtime/tls; trust tls/ca.pem in the client)")
    .option("--session-max-ms <ms>", "session cap before session_expired + close 1001 (default 3600000)")
    .option("--silence-default <ms>", "silence_duration_ms for bare {type:'server_vad'} and the session default (live 200, docs 500)")
    .option("--seed <n>", "id seed (reproducible ids)")
    .action(async (f: Flags) => {
      const opts: StubOptions = {
        port: int(f.port, "port", 0, 65535),
        host: f.host,
        script: f.script,
        rejectBeta: f.rejectBeta,
        sessionMaxMs: int(f.sessionMaxMs, "session-max-ms", 1, 24 * 3600_000),
        vad: f.silenceDefault === undefined ? undefined : { defaultSilenceDurationMs: int(f.silenceDefault, "silence-default", 0, 10_000)! },
        seed: int(f.seed, "seed", 0, 2 ** 31),
        tls: f.tls ? testTls() : undefined,
        log: f.log ? (line) => process.stdout.write(`${new Date().toISOString()} ${escapeControls(line)}\n`) : undefined,
      };
      let stub;
      try {
        stub = await startRealtimeStub(opts);
      } catch (e) {
        if (e instanceof ScriptError || e instanceof RangeError || e instanceof TypeError) throw new UsageError(e.message);
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "EADDRINUSE" || code === "EACCES" || code === "EADDRNOTAVAIL") throw new UsageError(`cannot listen on ${f.host}:${f.port}: ${code}`);
        throw e;
      }
      process.stdout.write(`Ready. OpenAI Realtime stub at ${stub.url} (script: ${f.script ?? "built-in"}${f.rejectBeta ? ", rejecting beta" : ""})\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          resolve();
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
      await stub.close();
      const n = stub.sessionCount();
      process.stdout.write(`Stopped after ${n} session${n === 1 ? "" : "s"}.\n`);
    });
}
