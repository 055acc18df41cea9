// Escaping for the HTML report. Every string that reaches the page goes through `html```: an
// interpolated value is escaped unless it is a `Raw` built by this module, so forgetting to escape
// takes effort. Values are always placed in text or in double-quoted attributes (never in script,
// style or unquoted attributes), where escaping & < > " ' ` is sufficient (OWASP XSS rule #1/#2).

import { createHash } from "node:crypto";

export class Raw {
  constructor(readonly s: string) {}
  toString(): string {
    return this.s;
  }
}

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" };

/** Escape for HTML text and double-quoted attribute values; C0 controls become visible U+241x. */
export function esc(s: unknown): string {
  return String(s)
    .replace(/[&<>"'`]/g, (c) => ENTITIES[c])
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (c) => String.fromCharCode(c === "\u007f" ? 0x2421 : 0x2400 + c.charCodeAt(0)))
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufffe\uffff]/g, "\ufffd");
}

type Value = Raw | string | number | boolean | null | undefined | readonly Value[];

function part(v: Value): string {
  if (v === null || v === undefined || v === false) return "";
  if (v instanceof Raw) return v.s;
  if (Array.isArray(v)) return v.map(part).join("");
  return esc(v);
}

/** Tagged template: literal parts are trusted, every interpolation is escaped (Raw passes). */
export function html(strings: TemplateStringsArray, ...values: Value[]): Raw {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += part(values[i]) + strings[i + 1];
  return new Raw(out);
}

export function raw(s: string): Raw {
  return new Raw(s);
}

/** The URL if it is plain http(s) (the only schemes the report links to), else null. */
export function safeHref(url: string | undefined): string | null {
  if (!url) return null;
  const u = url.trim();
  if (!/^https?:\/\/[^\s<>"'`]+$/i.test(u)) return null;
  try {
    const parsed = new URL(u);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/** A safe element id from arbitrary text (unique: a hash is added when characters were replaced). */
export function idFor(prefix: string, s: string): string {
  const clean = s.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 80);
  return clean === s ? `${prefix}-${clean}` : `${prefix}-${clean}-${createHash("sha256").update(s).digest("hex").slice(0, 8)}`;
}

/** A number for display: fixed decimals, thin-space thousands, or an em dash. */
export function num(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  const fixed = v.toFixed(digits);
  const [i, d] = fixed.split(".");
  const grouped = i.replace(/\B(?=(\d{3})+(?!\d))/g, "\u2009");
  return d ? `${grouped}.${d}` : grouped;
}

export function ms(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  if (Math.abs(v) >= 10_000) return `${num(v / 1000, 1)} s`;
  if (Math.abs(v) >= 100) return `${num(v, 0)} ms`;
  return `${num(v, 1)} ms`;
}

export function bytes(n: number): string {
  if (n >= 1024 * 1024) return `${num(n / 1024 / 1024, 1)} MiB`;
  if (n >= 1024) return `${num(n / 1024, 1)} KiB`;
  return `${n} B`;
}

/** Cut long text for a one-line label. */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max - 1) + "…";
}
