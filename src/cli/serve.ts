// `bwemu serve`: start the long-running carrier (src/serve) and, unless told otherwise, the Realtime
// stub on its own port; print the ready line (JSON) and one line per call; on SIGINT/SIGTERM end the
// live calls like a carrier and exit 0.
import { escapeControls } from "../../emulator/text/escape.js";
import { startRealtimeStub, type RealtimeStub } from "../../emulator/realtime/server.js";
import { carrierConfigSettings, loadConfigFile } from "../config.js";
import { resolveServeConfig, type ServeFlags } from "../serve/config.js";
import { startServe, type Serve } from "../serve/server.js";
import { UsageError } from "../exit.js";

export interface ServeCliFlags extends ServeFlags {
  config?: string;
  quiet?: boolean;
}

function listenError(what: string, host: string, port: number, e: unknown): never {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "EADDRINUSE") throw new UsageError(`${what}: cannot listen on ${host}:${port}, the port is in use (another bwemu serve? give another port, or 0 for any free one)`);
  if (code === "EACCES" || code === "EADDRNOTAVAIL" || code === "ENOTFOUND") throw new UsageError(`${what}: cannot listen on ${host}:${port} (${code})`);
  throw e;
}

export async function runServe(flags: ServeCliFlags): Promise<void> {
  const file = await loadConfigFile(flags.config);
  const cfg = resolveServeConfig(file.serve, flags);
  cfg.settings = { ...carrierConfigSettings(file.carrier), ...cfg.settings };
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const log = flags.quiet ? undefined : (line: string) => out(`${new Date().toISOString()} ${escapeControls(line)}`);
  let stub: RealtimeStub | undefined;
  if (cfg.realtime === "stub") {
    try {
      stub = await startRealtimeStub({ port: cfg.stubPort, host: cfg.host === "0.0.0.0" ? "0.0.0.0" : "127.0.0.1" });
    } catch (e) {
      listenError("--stub-port", cfg.host, cfg.stubPort, e);
    }
  }
  // What the bridge's upstream should be: the stub bwemu runs, a live URL, or nothing.
  const realtime = stub?.url ?? (cfg.realtime === "none" ? undefined : cfg.realtime);
  let serve: Serve;
  try {
    serve = await startServe({ port: cfg.port, host: cfg.host, settings: cfg.settings, maxCalls: cfg.maxCalls, realtime, stub, log });
  } catch (e) {
    await stub?.close();
    return listenError("--port", cfg.host, cfg.port, e);
  }
  // Handlers first: a supervisor may signal the moment it reads the ready line.
  const stopped = new Promise<string>((resolve) => {
    const stop = (sig: string) => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      resolve(sig);
    };
    const onInt = () => stop("SIGINT");
    const onTerm = () => stop("SIGTERM");
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
  });
  const s = serve.carrier.settings;
  out(
    JSON.stringify({
      event: "ready",
      url: serve.url,
      apiBaseUrl: serve.apiBaseUrl,
      health: `${serve.url}/_bwemu/health`,
      realtime: realtime ?? null,
      accountId: s.accountId,
      applicationId: s.applicationId,
      maxCalls: serve.maxCalls,
    }),
  );
  if (!flags.quiet) {
    out(`bwemu serve: live page ${serve.url}/  ·  Voice API ${serve.apiBaseUrl} (account ${s.accountId}${s.apiCredentials ? ", Basic credentials required" : ", any credentials"})`);
    if (stub) out(`Realtime stub at ${stub.url} (point your bridge's upstream here)`);
    out(`Keeping the newest ${serve.maxCalls} calls in memory (--max-calls); the oldest ended ones are dropped first.`);
  }
  const sig = await stopped;
  const live = [...serve.carrier.calls.values()].filter((c) => !c.ended).length;
  if (!flags.quiet) out(`${sig}: ending ${live} live call${live === 1 ? "" : "s"} (streams stopped, disconnect webhooks sent)…`);
  await serve.close();
  await stub?.close();
  if (!flags.quiet) out("Stopped.");
}
