// Values every command, the config file and bwemu serve's settings parse the same way; a bad value is a
// UsageError naming the flag or key it came from. Pure, and outside src/cli so library code may use it.
import { UsageError } from "./exit.js";

/** "30s", "2m", "1500ms", "1h", or plain seconds → ms. */
export function parseDuration(v: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(v);
  if (!m) throw new UsageError(`${flag}: "${v}" is not a duration (e.g. 30s, 2m, 1500ms)`);
  const n = Number(m[1]);
  const unit = m[2] ?? "s";
  return Math.round(n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit]!);
}

/** A whole number in min..max: a number, or decimal digits (a flag, an environment variable). */
export function parseInt10(v: string | number, flag: string, min: number, max: number): number {
  const n = Number(v);
  if ((typeof v === "string" && !/^\s*\d+\s*$/.test(v)) || !Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag}: expected an integer in ${min}..${max}, got ${JSON.stringify(v)}`);
  return n;
}

/** An absolute http:// or https:// URL (undefined stays undefined). */
export function httpUrl(name: string, v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new UsageError(`${name}: not a URL: ${v}`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new UsageError(`${name}: expected an http(s) URL, got ${v}`);
  return v;
}

/** One of `values` (undefined: `def`). */
export function oneOf<T extends string>(name: string, v: string | undefined, values: readonly T[], def: T): T {
  if (v === undefined) return def;
  if (!(values as readonly string[]).includes(v)) throw new UsageError(`${name}: expected one of ${values.join(", ")}, got ${JSON.stringify(v)}`);
  return v as T;
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
