// `bwemu wait`: poll a serve's health check until it answers, with a deadline (exit 0 ready, 1 not).
import { EXIT } from "../exit.js";
import { httpUrl, parseDuration } from "../parse.js";
import { DEFAULT_SERVE_PORT } from "../serve/config.js";
import { escapeControls } from "../../emulator/text/escape.js";

export interface WaitFlags {
  url?: string;
  timeout: string;
  interval: string;
  quiet?: boolean;
}

/** The URL asked: an origin means its /_bwemu/health. */
export function healthUrl(url: string | undefined, env: Record<string, string | undefined> = process.env): string {
  const raw = url ?? `http://127.0.0.1:${env.BWEMU_SERVE_PORT || DEFAULT_SERVE_PORT}`;
  const u = new URL(httpUrl("--url", raw)!);
  if (u.pathname === "/" && !u.search) u.pathname = "/_bwemu/health";
  return u.href;
}

async function probe(url: string, timeoutMs: number): Promise<string | undefined> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(Math.max(50, timeoutMs)), redirect: "manual" });
    await r.arrayBuffer().catch(() => undefined);
    return r.ok ? undefined : `HTTP ${r.status}`;
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    return err.cause?.code ?? (err.name === "TimeoutError" ? "no answer in time" : err.message);
  }
}

export async function runWait(f: WaitFlags): Promise<number> {
  const url = healthUrl(f.url);
  const timeout = parseDuration(f.timeout, "--timeout");
  const interval = Math.max(10, parseDuration(f.interval, "--interval"));
  const deadline = Date.now() + timeout;
  let last = "not asked yet";
  for (;;) {
    const left = deadline - Date.now();
    const problem = await probe(url, Math.min(2000, Math.max(left, 50)));
    if (problem === undefined) {
      if (!f.quiet) process.stdout.write(`ready: ${url}\n`);
      return EXIT.OK;
    }
    last = problem;
    if (Date.now() + interval > deadline) break;
    await new Promise((r) => setTimeout(r, interval));
  }
  if (!f.quiet) process.stderr.write(`bwemu wait: ${url} not ready after ${f.timeout} (last: ${escapeControls(last)})\n`);
  return EXIT.FINDINGS;
}
