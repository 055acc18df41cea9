// Secrets never reach the timeline, files or reports (GUIDE: passwords, userinfo in URLs, API keys).
// BXML is redacted on the parsed model: the credential attributes the catalogue marks (and their
// misspellings), the password in any URL attribute's userinfo, and the value of a stream parameter
// whose name says it is a credential are replaced at the exact positions the parser gives, so the
// saved document is the app's own text minus the secrets, whatever the quoting. The values are also
// learnt (SecretSet) so that wherever the app echoes them later, the timeline's scrub removes them.
// Headers are redacted by name (timeline.ts redactHeaders) and by scheme/key shape of the value.

import { catalogue } from "../bxml/catalogue/index.js";
import type { BxmlElement, BxmlAttribute } from "../bxml/model.js";
import { attrValue, childElements } from "../bxml/model.js";
import { parseBxml } from "../bxml/parse.js";
import { REDACTED, SecretSet } from "./secret-set.js";

export { REDACTED, SecretSet } from "./secret-set.js";

/** Attribute names (lower case) the catalogue marks as credentials, with their known misspellings. */
export const CREDENTIAL_ATTRIBUTES: ReadonlySet<string> = (() => {
  const names = new Set<string>();
  for (const spec of Object.values(catalogue)) {
    const all = [spec.attributes, ...Object.values(spec.attributesUnder ?? {})];
    for (const attrs of all) for (const [name, a] of Object.entries(attrs)) if (a.credential) names.add(name.toLowerCase());
    for (const [wrong, right] of Object.entries(spec.misspellings ?? {})) if (spec.attributes[right]?.credential) names.add(wrong.toLowerCase());
  }
  return names;
})();

/** Elements whose `value` is a credential when their `name` says so (custom parameters sent to the app). */
const PARAMETER_ELEMENTS = new Set(["StreamParam", "CustomParam"]);
const CREDENTIAL_NAME = /pass|secret|token|key|auth|cred|bearer|signature/i;

/** Where, in a URL's text, the password of its userinfo lies (RFC 3986 authority), if it has one. */
export function urlPasswordSpan(url: string): { start: number; end: number } | undefined {
  const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.exec(url.trimStart());
  if (!scheme) return undefined;
  const from = url.length - url.trimStart().length + scheme[0].length;
  let authorityEnd = url.length;
  for (const c of ["/", "?", "#"]) {
    const i = url.indexOf(c, from);
    if (i >= 0 && i < authorityEnd) authorityEnd = i;
  }
  const at = url.lastIndexOf("@", authorityEnd - 1);
  if (at < from) return undefined;
  const colon = url.indexOf(":", from);
  if (colon < 0 || colon > at) return undefined;
  return { start: colon + 1, end: at };
}

/** The URL with the password of its userinfo replaced (the user name stays, to say whose it was). */
export function redactUrl(url: string): string {
  const span = urlPasswordSpan(url);
  return span ? url.slice(0, span.start) + REDACTED + url.slice(span.end) : url;
}

/** The URL's password, if any (as written, and percent-decoded). */
export function urlPassword(url: string): string | undefined {
  const span = urlPasswordSpan(url);
  return span && span.end > span.start ? url.slice(span.start, span.end) : undefined;
}

interface Cut {
  /** Source offsets of the raw attribute value (inside the quotes). */
  start: number;
  end: number;
  text: string;
}

/** What in one element's attributes is secret: whole values and URL passwords (decoded value → raw source span). */
function secretCuts(el: BxmlElement, source: string, learn: (v: string | undefined) => void): Cut[] {
  const cuts: Cut[] = [];
  const paramSecret = PARAMETER_ELEMENTS.has(el.name) && CREDENTIAL_NAME.test(attrValue(el, "name") ?? "");
  for (const a of el.attrs) {
    const raw = rawValue(a, source);
    if (!raw) continue;
    if (CREDENTIAL_ATTRIBUTES.has(a.name.toLowerCase()) || (paramSecret && a.name === "value")) {
      learn(a.value);
      learn(raw.text);
      cuts.push({ start: raw.start, end: raw.end, text: REDACTED });
      continue;
    }
    const span = urlPasswordSpan(raw.text);
    if (span) {
      learn(raw.text.slice(span.start, span.end));
      const decoded = urlPassword(a.value);
      learn(decoded);
      cuts.push({ start: raw.start + span.start, end: raw.start + span.end, text: REDACTED });
    }
  }
  // A URL as element text (PlayAudio, Redirect targets): its password, in the raw text up to the next tag.
  for (const t of el.children) {
    if (t.type !== "text") continue;
    const end = source.indexOf("<", t.pos.offset);
    const raw = source.slice(t.pos.offset, end < 0 ? source.length : end);
    const span = urlPasswordSpan(raw);
    if (!span) continue;
    learn(raw.slice(span.start, span.end));
    learn(urlPassword(t.value.trim()));
    cuts.push({ start: t.pos.offset + span.start, end: t.pos.offset + span.end, text: REDACTED });
  }
  return cuts;
}

/** The raw source text of an attribute value: from its first character to the matching quote. */
function rawValue(a: BxmlAttribute, source: string): { start: number; end: number; text: string } | undefined {
  const start = a.valuePos.offset;
  const quote = source[start - 1];
  if (quote !== '"' && quote !== "'") return undefined;
  const end = source.indexOf(quote, start);
  if (end < 0) return undefined;
  return { start, end, text: source.slice(start, end) };
}

/**
 * A BXML document with its secrets removed, as the app wrote it otherwise. Learns the secret values
 * into `secrets` when given. A document that does not parse keeps no attribute value that follows a
 * credential attribute name or a URL's userinfo (the tokenizer's positions are not available).
 */
export function redactBxml(text: string, secrets?: SecretSet): string {
  const learn = (v: string | undefined) => secrets?.add(v);
  const parsed = parseBxml(text);
  if (!parsed.root) return secrets ? secrets.scrubText(redactUnparsed(text)) : redactUnparsed(text);
  const source = parsed.source;
  const cuts: Cut[] = [];
  const stack: BxmlElement[] = [parsed.root];
  while (stack.length) {
    const el = stack.pop()!;
    cuts.push(...secretCuts(el, source, learn));
    stack.push(...childElements(el));
  }
  cuts.sort((a, b) => a.start - b.start);
  let out = "";
  let at = 0;
  for (const c of cuts) {
    out += source.slice(at, c.start) + c.text;
    at = c.end;
  }
  out += source.slice(at);
  // A BOM the parser removed stays removed; secrets repeated in text (an echo in SpeakSentence) go too.
  return secrets ? secrets.scrubText(out) : out;
}

/** Not well-formed: every quoted value after a credential attribute name, and every URL password, go. */
function redactUnparsed(text: string): string {
  // Names start at a boundary and are short, so a long run of name characters costs one pass.
  const attr = /(?<![\w:.-])([\w:.-]{1,100})(\s*=\s*)(?:"([^"]{0,4096})"|'([^']{0,4096})')/g;
  return text.replace(attr, (whole, name: string, eq: string, dq: string | undefined, sq: string | undefined) => {
    const q = dq !== undefined ? '"' : "'";
    const value = dq ?? sq ?? "";
    if (CREDENTIAL_ATTRIBUTES.has(name.toLowerCase())) return `${name}${eq}${q}${REDACTED}${q}`;
    const red = redactUrl(value);
    return red === value ? whole : `${name}${eq}${q}${red}${q}`;
  });
}

const JSON_FIELD = /("[\w-]*password"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;
const QUERY_PARAM = /([?&][\w-]*password=)[^&#]*/gi;

/**
 * Request and response bodies other than BXML (JSON payloads, form and query strings): fields and
 * parameters named like a password lose their value; BXML bodies go through redactBxml.
 */
export function redactSecrets(text: string): string;
export function redactSecrets(text: string | undefined): string | undefined;
export function redactSecrets(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (/^\uFEFF?\s*</.test(text)) return redactBxml(text);
  if (!/password/i.test(text)) return text;
  return text.replace(JSON_FIELD, `$1"${REDACTED}"`).replace(QUERY_PARAM, `$1${REDACTED}`);
}

/** Header values that carry credentials whatever the header's name: an auth scheme, an API key. */
export function redactHeaderValue(value: string): string {
  if (/^\s*(Basic|Bearer|Digest|Token)\s+\S/i.test(value)) return `${value.trim().split(/\s+/)[0]} ${REDACTED}`;
  return new SecretSet().scrubText(value);
}
