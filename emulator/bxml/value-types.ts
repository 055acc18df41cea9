// What a valid value of each attribute type (§2.1) and text kind looks like. Pure predicates with
// a reason, shared by the acceptance rules and the carrier; `undefined` means "valid".

import type { AttrType, TextKind } from "./spec.js";
import { schemeOf } from "./urls.js";

/** Decimal number as §1.7 allows it (`5`, `0.5`, `3.0`, `.5`); surrounding whitespace tolerated. */
const NUM = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/;
const INT = /^\s*[+-]?\d+\s*$/;
/** E.164: `+` then up to 15 digits, the first not 0. */
const E164 = /^\+[1-9]\d{1,14}$/;
const CALLER_ID_WORDS = ["Restricted", "Anonymous", "Private", "Unavailable"];
const SIP = /^sips?:[^\s]+$/i;
/** RFC 7433 User-To-User value with an encoding parameter; §2.1 allows base64 and jwt only. */
const UUI = /^[^;\s]+;\s*encoding\s*=\s*(base64|jwt)$/i;

export function parseNum(value: string | undefined): number | undefined {
  if (value === undefined || !NUM.test(value)) return undefined;
  return Number(value.trim());
}

/** `true` / `false`, any case (ED-6c: case is a warning, not a rejection). */
export function parseBool(value: string | undefined): boolean | undefined {
  const v = value?.trim().toLowerCase();
  return v === "true" ? true : v === "false" ? false : undefined;
}

export function isE164(value: string): boolean {
  return E164.test(value.trim());
}

export function isSipUri(value: string): boolean {
  return SIP.test(value.trim());
}

// WHATWG URL parsing is the costly part of acceptance; documents repeat the same few URLs.
const urlCache = new Map<string, string | undefined>();
const URL_CACHE_MAX = 512;

/** Why `value` is not a URL attribute value (absolute http(s) or relative reference, §1.5). */
export function urlProblem(value: string, baseUrl?: string): string | undefined {
  const key = `${baseUrl ?? ""}\u0000${value}`;
  if (urlCache.has(key)) return urlCache.get(key);
  const problem = computeUrlProblem(value, baseUrl);
  if (urlCache.size >= URL_CACHE_MAX) urlCache.clear();
  urlCache.set(key, problem);
  return problem;
}

function computeUrlProblem(value: string, baseUrl?: string): string | undefined {
  const v = value.trim();
  if (v === "") return "is empty: give an http(s) URL or a relative reference, or remove the attribute";
  if (/\s/.test(v)) return "contains whitespace: percent-encode spaces as %20";
  const scheme = schemeOf(v);
  if (scheme !== undefined) {
    if (scheme !== "http" && scheme !== "https") {
      return scheme === "ws" || scheme === "wss"
        ? `is a WebSocket URL (${scheme}://): Bandwidth sends webhooks over HTTP, use https://`
        : `uses the scheme ${scheme}:, Bandwidth only calls http:// and https:// URLs`;
    }
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      return "is not a valid URL";
    }
    if (u.hostname === "") return "has no host name";
    return undefined;
  }
  // Relative reference (§1.5): must resolve against the document's URL.
  try {
    new URL(v, baseUrl ?? "https://base.invalid/");
  } catch {
    return baseUrl ? `does not resolve against ${baseUrl}` : "is not a valid relative URL";
  }
  return undefined;
}

/** Why `value` is not a WebSocket URI (StartStream/StartTranscription `destination`; ED-9, OPEN-6). */
export function wsUriProblem(value: string): string | undefined {
  const v = value.trim();
  if (v === "") return "is empty: give the wss:// URL of your media WebSocket";
  const scheme = schemeOf(v);
  if (scheme === undefined) {
    return "is not an absolute WebSocket URL: write wss://host/path (relative URLs are not resolved for WebSockets)";
  }
  if (scheme === "https" || scheme === "http") {
    return `uses ${scheme}://, but Bandwidth opens a WebSocket here: write ${scheme === "https" ? "wss" : "ws"}://${v.slice(scheme.length + 3)}`;
  }
  if (scheme !== "ws" && scheme !== "wss") return `uses the scheme ${scheme}:, a WebSocket URL is ws:// or wss://`;
  if (/\s/.test(v)) return "contains whitespace: percent-encode spaces as %20";
  try {
    const u = new URL(v);
    if (u.hostname === "") return "has no host name";
  } catch {
    return "is not a valid URL";
  }
  return undefined;
}

/** Why `value` is not of attribute type `type`; undefined when it is (or the type is free-form). */
export function typeProblem(type: AttrType, value: string, baseUrl?: string): string | undefined {
  switch (type) {
    case "URL":
      return urlProblem(value, baseUrl);
    case "WSURI":
      return wsUriProblem(value);
    case "METHOD":
      return /^\s*(get|post)\s*$/i.test(value) ? undefined : "must be GET or POST";
    case "BOOL":
      return parseBool(value) === undefined ? "must be true or false" : undefined;
    case "NUM":
      return parseNum(value) === undefined ? "must be a decimal number (e.g. 5 or 0.5)" : undefined;
    case "INT":
      return INT.test(value) ? undefined : "must be a whole number";
    case "E164":
      return isE164(value) ? undefined : "must be an E.164 number: + then country code and number, digits only (e.g. +15551234567)";
    case "CALLERID":
      return isE164(value) || CALLER_ID_WORDS.some((w) => w.toLowerCase() === value.trim().toLowerCase())
        ? undefined
        : "must be an E.164 number (e.g. +15551234567) or one of Restricted, Anonymous, Private, Unavailable";
    case "E164_OR_SIP":
      return isE164(value) || isSipUri(value) ? undefined : "must be an E.164 number (e.g. +15551234567) or a sip: URI (sip:user@host)";
    case "SIPURI":
      return isSipUri(value) ? undefined : "must be a SIP URI such as sip:user@host";
    case "UUI":
      return UUI.test(value.trim())
        ? undefined
        : "must be a User-To-User value ending in ;encoding=base64 or ;encoding=jwt (RFC 7433), e.g. bXktdXVp;encoding=base64";
    case "TAG":
    case "STR":
    case "ENUM":
      return undefined;
  }
}

/** Why the text of an element of `kind` is not valid (format only; emptiness and length are separate). */
export function textProblem(kind: TextKind, text: string, baseUrl?: string): string | undefined {
  switch (kind) {
    case "url":
      return urlProblem(text, baseUrl);
    case "digits": {
      const bad = [...text].find((c) => !/[0-9*#a-dA-D,wW]/.test(c));
      return bad === undefined ? undefined : `contains ${JSON.stringify(bad)}: DTMF digits are 0-9 * # A-D, with pauses , w (0.5 s) and W (1 s)`;
    }
    case "e164":
      return isE164(text) ? undefined : "must be an E.164 number: + then country code and number, digits only (e.g. +15551234567)";
    case "sip":
      return isSipUri(text) ? undefined : "must be a SIP URI such as sip:user@server.example";
    case "conference-name":
      return /^[A-Za-z0-9_.-]*$/.test(text) ? undefined : "may contain only letters, digits, `-`, `_` and `.`";
    case "id":
    case "endpoint-id":
    case "ssml":
    case "tag":
      return undefined;
  }
}

/** Length in characters (code points), as limits in the docs count them. */
export function charLength(s: string): number {
  let n = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c >= 0xd800 && c <= 0xdbff && k + 1 < s.length) k++;
    n++;
  }
  return n;
}

/** `1s`, `250ms` → seconds (SSML break `time`), or undefined. */
export function ssmlSeconds(value: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|ms)\s*$/.exec(value);
  if (!m) return undefined;
  return m[2] === "ms" ? Number(m[1]) / 1000 : Number(m[1]);
}
