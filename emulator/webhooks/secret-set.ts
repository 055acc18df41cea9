// The secret values bwemu has learnt (from the parsed BXML: credential attributes, URL passwords,
// credential-named stream parameters), and the scrub that keeps them out of everything recorded.
// Exact values, not patterns: a password in any quoting, echoed by the app in a close reason, a
// frame or a header, is found wherever it lands. The one pattern is the shape of an OpenAI API key
// (`sk-…`), which bwemu may see without ever being told it.

export const REDACTED = "[redacted]";

/** Shorter values are not scrubbed from free text (they would eat ordinary words); their attributes still are. */
const MIN_SECRET_LENGTH = 4;
const API_KEY = /\bsk-[A-Za-z0-9_-]{16,}/g;

export class SecretSet {
  private readonly values = new Set<string>();
  /** Longest first, so a secret that contains another is replaced whole. */
  private ordered: string[] = [];

  add(value: string | undefined): void {
    if (value === undefined || value.length < MIN_SECRET_LENGTH || this.values.has(value)) return;
    this.values.add(value);
    for (const v of encodings(value)) this.values.add(v);
    this.ordered = [...this.values].sort((a, b) => b.length - a.length);
  }

  get size(): number {
    return this.values.size;
  }

  /** `text` without any known secret and without anything shaped like an API key. */
  scrubText(text: string): string {
    let out = text;
    for (const v of this.ordered) if (out.includes(v)) out = out.split(v).join(REDACTED);
    return out.includes("sk-") ? out.replace(API_KEY, `sk-${REDACTED}`) : out;
  }

  /** A copy of `data` (JSON-like) with every string scrubbed; `data` itself when nothing changed. */
  scrub<T>(data: T): T {
    return walk(data, (s) => this.scrubText(s)) as T;
  }
}

/** How a value may appear once written elsewhere: percent-encoded in a URL, XML- or JSON-escaped. */
function encodings(v: string): string[] {
  const json = JSON.stringify(v).slice(1, -1);
  // JSON twice: a message quoting the value, inside a recorded JSON body.
  const out = [encodeURIComponent(v), v.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;"), json, JSON.stringify(json).slice(1, -1)];
  try {
    out.push(decodeURIComponent(v));
  } catch {
    // not percent-encoded
  }
  return out.filter((x) => x !== v && x.length >= MIN_SECRET_LENGTH);
}

function walk(x: unknown, f: (s: string) => string): unknown {
  if (typeof x === "string") return f(x);
  if (Array.isArray(x)) {
    let changed = false;
    const out = x.map((v) => {
      const w = walk(v, f);
      if (w !== v) changed = true;
      return w;
    });
    return changed ? out : x;
  }
  if (x !== null && typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype) {
    let out: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(x)) {
      const w = walk(v, f);
      if (w !== v) (out ??= { ...(x as Record<string, unknown>) })[k] = w;
    }
    return out ?? x;
  }
  return x;
}
