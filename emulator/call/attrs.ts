// Reading verb attributes for execution. Validation already happened (acceptance, §1.4), so these
// helpers only convert: defaults are passed by each executor from its spec table (§2.x), enum
// values are matched case-insensitively (ED-6c), methods upper-cased.

import { attrValue, childElements, type BxmlElement, type BxmlNode } from "../bxml/model.js";
import type { Credentials } from "./types.js";

export function str(el: BxmlElement, name: string): string | undefined {
  return attrValue(el, name);
}

export function num(el: BxmlElement, name: string, def: number): number {
  const v = attrValue(el, name);
  if (v === undefined || v.trim() === "") return def;
  const n = Number(v.trim());
  return Number.isFinite(n) ? n : def;
}

export function bool(el: BxmlElement, name: string, def: boolean): boolean {
  const v = attrValue(el, name)?.trim().toLowerCase();
  if (v === "true") return true;
  if (v === "false") return false;
  return def;
}

export function method(el: BxmlElement, name: string): "GET" | "POST" {
  return attrValue(el, name)?.trim().toUpperCase() === "GET" ? "GET" : "POST";
}

export function enumOf<T extends string>(el: BxmlElement, name: string, values: readonly T[], def: T): T {
  const v = attrValue(el, name)?.trim().toLowerCase();
  return (values.find((x) => x.toLowerCase() === v) ?? def) as T;
}

/** `username`/`password` (or the fallback pair) as Basic credentials; absent when neither is set. */
export function creds(el: BxmlElement, user = "username", pass = "password"): Credentials | undefined {
  const u = attrValue(el, user);
  const p = attrValue(el, pass);
  if (u === undefined && p === undefined) return undefined;
  return { username: u ?? "", password: p ?? "" };
}

/** Trimmed text of the element's direct text (§1.2). */
export function text(el: BxmlElement): string {
  return el.children
    .filter((c) => c.type === "text")
    .map((c) => (c as { value: string }).value)
    .join("")
    .trim();
}

/** All descendant text with SSML markup removed (what TTS speaks; `sub alias` replaces its text). */
export function speakable(el: BxmlElement): string {
  const out: string[] = [];
  const walk = (n: BxmlNode) => {
    if (n.type === "text") out.push(n.value);
    else if (n.type === "element") {
      if (n.name === "sub" && attrValue(n, "alias") !== undefined) out.push(attrValue(n, "alias")!);
      else n.children.forEach(walk);
    }
  };
  el.children.forEach(walk);
  return out.join(" ").replace(/\s+/g, " ").trim();
}

export function attrsRecord(el: BxmlElement): Record<string, string> {
  const r: Record<string, string> = {};
  for (const a of el.attrs) {
    r[a.name] = /password/i.test(a.name) ? "[redacted]" : a.value;
  }
  return r;
}

export { childElements };
