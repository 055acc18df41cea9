// Flag values every command parses the same way; a bad value is a UsageError naming the flag.
import { UsageError } from "./exit.js";

/** "30s", "2m", "1500ms", "1h", or plain seconds → ms. */
export function parseDuration(v: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(v);
  if (!m) throw new UsageError(`${flag}: "${v}" is not a duration (e.g. 30s, 2m, 1500ms)`);
  const n = Number(m[1]);
  const unit = m[2] ?? "s";
  return Math.round(n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit]!);
}

/** A whole number in min..max written in decimal digits. */
export function parseInt10(v: string, flag: string, min: number, max: number): number {
  const n = Number(v);
  if (!/^\s*\d+\s*$/.test(v) || !Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag}: expected an integer in ${min}..${max}, got "${v}"`);
  return n;
}

/** `--realtime` other than `stub`: an absolute ws:// or wss:// URL. */
export function parseRealtimeUrl(rt: string): URL {
  let url: URL;
  try {
    url = new URL(rt);
  } catch {
    throw new UsageError(`--realtime: "${rt}" is neither \`stub\` nor an absolute ws(s):// URL`);
  }
  if (url.protocol !== "ws:" && url.protocol !== "wss:") throw new UsageError(`--realtime: ${rt} must be ws:// or wss:// (or \`stub\`)`);
  return url;
}
