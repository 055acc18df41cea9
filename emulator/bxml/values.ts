// Reading attribute values the way the carrier does: documented defaults, numbers, booleans and
// enumerations case-insensitively (ED-6c), text trimmed per §1.2. For documents that passed
// acceptance; on anything unreadable these fall back to the default (or undefined).

import { attrValue, textContent, type BxmlElement, type BxmlNode } from "./model.js";
import { getSpec } from "./catalogue/index.js";
import { parseBool, parseNum } from "./value-types.js";

function defaultOf(el: BxmlElement, name: string): string | undefined {
  const spec = getSpec(el.name);
  if (!spec || !Object.hasOwn(spec.attributes, name)) return undefined;
  return spec.attributes[name].default;
}

/** The attribute's value, or the catalogue default when absent. */
export function attrOrDefault(el: BxmlElement, name: string): string | undefined {
  return attrValue(el, name) ?? defaultOf(el, name);
}

/** A non-empty `name` attribute, or undefined (absent or empty → the carrier generates an id). */
export function nameOf(el: BxmlElement): string | undefined {
  const v = attrValue(el, "name");
  return v === undefined || v === "" ? undefined : v;
}

/** The attribute (or its default) as a number; undefined when absent without default or not numeric. */
export function numberAttr(el: BxmlElement, name: string): number | undefined {
  return parseNum(attrValue(el, name)) ?? parseNum(defaultOf(el, name));
}

/** The attribute (or its default) as a boolean, `true`/`false` in any case. */
export function boolAttr(el: BxmlElement, name: string): boolean | undefined {
  return parseBool(attrValue(el, name)) ?? parseBool(defaultOf(el, name));
}

/** `GET` or `POST` in any case (ED-6c); POST when absent or unreadable (§2.1). */
export function methodAttr(el: BxmlElement, name: string): "GET" | "POST" {
  const v = (attrValue(el, name) ?? defaultOf(el, name) ?? "POST").trim().toUpperCase();
  return v === "GET" ? "GET" : "POST";
}

/**
 * An enumeration value in its canonical case (`INBOUND` → `inbound`), or the default when absent.
 * A value outside a closed list comes back trimmed and lower-cased; one outside an open list
 * (voice, locale) comes back trimmed as written.
 */
export function enumAttr(el: BxmlElement, name: string): string | undefined {
  const raw = attrValue(el, name) ?? defaultOf(el, name);
  if (raw === undefined) return undefined;
  const v = raw.trim();
  const spec = getSpec(el.name);
  const as = spec && Object.hasOwn(spec.attributes, name) ? spec.attributes[name] : undefined;
  const values = as?.values ?? (as?.type === "METHOD" ? ["GET", "POST"] : undefined);
  const match = values?.find((c) => c.toLowerCase() === v.toLowerCase());
  if (match) return match;
  return as?.open ? v : v.toLowerCase();
}

function deepText(nodes: readonly BxmlNode[]): string {
  let out = "";
  const stack: BxmlNode[] = [...nodes].reverse();
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === "text") out += n.value;
    else if (n.type === "element") for (let k = n.children.length - 1; k >= 0; k--) stack.push(n.children[k]);
  }
  return out;
}

/**
 * The element's text as the carrier uses it: trimmed where §1.2 says so (identifiers, URLs,
 * numbers, digits, Tag); for SpeakSentence and SSML, all descendant text (markup dropped), untrimmed.
 */
export function elementText(el: BxmlElement): string {
  const spec = getSpec(el.name);
  if (spec?.text?.kind === "ssml") return deepText(el.children);
  const t = textContent(el);
  return spec?.text?.trim ? t.trim() : t;
}

/**
 * What a SpeakSentence says (what TTS speaks): its descendant text as written, SSML markup removed,
 * `<sub alias>` replaced by its alias and a `<break>` heard as a word gap; whitespace runs collapsed
 * and trimmed.
 */
export function speechText(el: BxmlElement): string {
  const out: string[] = [];
  const walk = (n: BxmlNode): void => {
    if (n.type === "text") out.push(n.value);
    else if (n.type !== "element") return;
    else if (n.name === "sub" && attrValue(n, "alias") !== undefined) out.push(attrValue(n, "alias")!);
    else if (n.name === "break") out.push(" ");
    else n.children.forEach(walk);
  };
  el.children.forEach(walk);
  return out.join("").replace(/\s+/g, " ").trim();
}
