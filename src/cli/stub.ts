// `bwemu stub`: run the deterministic OpenAI Realtime stub until SIGINT/SIGTERM. The first stdout line
// is the machine-readable ready line (JSON: event, url, health); `--log` then prints one line per
// event (types, sizes and error codes only: never audio, never credentials).
import { UsageError } from "../exit.js";
import { parseInt10 } from "../parse.js";
import { escapeControls } from "../../emulator/text/escape.js";
import { startRealtimeStub, type StubOptions } from "../../emulator/realtime/server.js";
import { ScriptError } from "../../emulator/realtime/script.js";
import { testTls } from "../../emulator/realtime/tls.js";

export interface StubFlags {
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

const optionalInt = (v: string | undefined, flag: string, min: number, max: number) => (v === undefined ? undefined : parseInt10(v, flag, min, max));

/** The ready line: the stub's URL and its health URL (same host and port, http(s)). */
export function readyLine(url: string, extra: Record<string, unknown> = {}): string {
  const health = new URL("/health", url.replace(/^ws/, "http")).href;
  return JSON.stringify({ event: "ready", url, health, ...extra }) + "\n";
}

export async function runStub(f: StubFlags): Promise<void> {
  const opts: StubOptions = {
    port: parseInt10(f.port, "--port", 0, 65535),
    host: f.host,
    script: f.script,
    rejectBeta: f.rejectBeta,
    sessionMaxMs: optionalInt(f.sessionMaxMs, "--session-max-ms", 1, 24 * 3600_000),
    vad: f.silenceDefault === undefined ? undefined : { defaultSilenceDurationMs: parseInt10(f.silenceDefault, "--silence-default", 0, 10_000) },
    seed: optionalInt(f.seed, "--seed", 0, 2 ** 31),
    tls: f.tls ? testTls() : undefined,
    log: f.log ? (line) => process.stdout.write(`${new Date().toISOString()} ${escapeControls(line)}\n`) : undefined,
  };
  let stub;
  try {
    stub = await startRealtimeStub(opts);
  } catch (e) {
    if (e instanceof ScriptError || e instanceof RangeError || e instanceof TypeError) throw new UsageError(e.message);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw new UsageError(`cannot listen on ${f.host}:${f.port}: the port is in use (another stub? try --port 0 for any free port)`);
    if (code === "EACCES" || code === "EADDRNOTAVAIL" || code === "ENOTFOUND") throw new UsageError(`cannot listen on ${f.host}:${f.port}: ${code}`);
    throw e;
  }
  // Handlers first: a supervisor may signal the moment it reads the ready line.
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  process.stdout.write(readyLine(stub.url, { script: f.script ?? "built-in", rejectBeta: !!f.rejectBeta }));
  await stopped;
  await stub.close();
  const n = stub.sessionCount();
  process.stdout.write(`Stopped after ${n} session${n === 1 ? "" : "s"}.\n`);
}
