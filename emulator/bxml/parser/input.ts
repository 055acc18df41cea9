// From raw input to checked text, before any XML is read: size (spec §1.3, OPEN-2), binary
// content, UTF-8 validity, BOM. Everything here is bounded: a document over the limit is refused
// after looking at its first 64 KB only, whatever its size.

import type { Position } from "../model.js";
import { LineTable } from "./lines.js";

/** Spec §1.3: "Maximum document size 64 KB"; OPEN-2 makes a larger document `invalid-bxml`. */
export const MAX_DOCUMENT_BYTES = 65_536;

export interface InputProblem {
  ruleId: "bxml/document-too-large" | "bxml/not-text" | "bxml/invalid-utf8";
  message: string;
  pos: Position;
}

export interface CheckedInput {
  /** Decoded text without BOM (for a too-large input: only its first 64 KB). */
  text: string;
  /** UTF-8 size of the original input in bytes. */
  bytes: number;
  problem?: InputProblem;
}

const SIGNATURES: readonly { bytes: readonly number[]; what: string }[] = [
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: "a PNG image" },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: "a GIF image" },
  { bytes: [0xff, 0xd8, 0xff], what: "a JPEG image" },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], what: "a PDF file" },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: "a ZIP archive" },
  { bytes: [0x1f, 0x8b], what: "gzip-compressed data (was Content-Encoding ignored?)" },
  { bytes: [0x52, 0x49, 0x46, 0x46], what: "a RIFF/WAV audio file" },
  { bytes: [0x49, 0x44, 0x33], what: "an MP3 audio file" },
  { bytes: [0x4f, 0x67, 0x67, 0x53], what: "an Ogg file" },
  { bytes: [0xff, 0xfe], what: "UTF-16 (little-endian) text; BXML must be UTF-8" },
  { bytes: [0xfe, 0xff], what: "UTF-16 (big-endian) text; BXML must be UTF-8" },
];

export function checkInput(input: string | Uint8Array): CheckedInput {
  return typeof input === "string" ? checkString(input) : checkBytes(input);
}

function checkString(input: string): CheckedInput {
  // A string of more than 64 Ki code units is over the limit whatever its encoding; skip counting.
  const bytes = Buffer.byteLength(input, "utf8"); // native, no copy
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (bytes > MAX_DOCUMENT_BYTES) {
    const cut = stringOffsetAtByte(text, MAX_DOCUMENT_BYTES - (text === input ? 0 : 3));
    return { text, bytes, problem: tooLarge(bytes, new LineTable(text.slice(0, cut)).pos(cut)) };
  }
  if (/^[\uFFFD\u0089]PNG/.test(text)) {
    return { text, bytes, problem: notText("looks like a PNG image, not an XML document", { line: 1, col: 1, offset: 0 }) };
  }
  const nul = text.indexOf("\u0000");
  if (nul !== -1) {
    return { text, bytes, problem: notText(`contains NUL characters: this is binary data, not an XML document`, new LineTable(text.slice(0, nul)).pos(nul)) };
  }
  return { text, bytes };
}

function checkBytes(input: Uint8Array): CheckedInput {
  const bytes = input.byteLength;
  const hasBom = bytes >= 3 && input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf;
  if (bytes > MAX_DOCUMENT_BYTES) {
    const head = input.subarray(hasBom ? 3 : 0, MAX_DOCUMENT_BYTES);
    const text = new TextDecoder("utf-8", { fatal: false }).decode(head);
    return { text, bytes, problem: tooLarge(bytes, new LineTable(text).pos(text.length)) };
  }
  for (const sig of SIGNATURES) {
    if (sig.bytes.every((b, k) => input[k] === b)) {
      return { text: "", bytes, problem: notText(`looks like ${sig.what}, not an XML document`, { line: 1, col: 1, offset: 0 }) };
    }
  }
  const nul = input.indexOf(0);
  if (nul !== -1) {
    const text = new TextDecoder("utf-8", { fatal: false }).decode(input.subarray(hasBom ? 3 : 0, nul));
    return { text: "", bytes, problem: notText(`contains NUL bytes: this is binary data, not an XML document`, new LineTable(text).pos(text.length)) };
  }
  const body = input.subarray(hasBom ? 3 : 0);
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(body), bytes };
  } catch {
    const bad = firstInvalidUtf8(body);
    const prefix = new TextDecoder("utf-8", { fatal: false }).decode(body.subarray(0, bad));
    const b = body[bad];
    return {
      text: "",
      bytes,
      problem: {
        ruleId: "bxml/invalid-utf8",
        message: `invalid UTF-8 at byte ${bad + (hasBom ? 3 : 0)} (0x${b === undefined ? "EOF" : b.toString(16).padStart(2, "0")}): BXML must be UTF-8; was the file saved as Latin-1 or Windows-1252?`,
        pos: new LineTable(prefix).pos(prefix.length),
      },
    };
  }
}

/** Index of the first byte that starts an invalid or truncated UTF-8 sequence (WHATWG rules). */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f; // surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const n = b[i + k];
      if (n === undefined) return i;
      if (k === 1 ? n < lo || n > hi : n < 0x80 || n > 0xbf) return i;
    }
    i += need + 1;
  }
  return b.length;
}

/** The string offset of the first character that does not fit in `limit` UTF-8 bytes. */
function stringOffsetAtByte(s: string, limit: number): number {
  let bytes = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    const n = c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? 4 : 3;
    if (bytes + n > limit) return k;
    bytes += n;
    if (n === 4) k++;
  }
  return s.length;
}

function tooLarge(bytes: number, pos: Position): InputProblem {
  return {
    ruleId: "bxml/document-too-large",
    message: `document is ${bytes.toLocaleString("en-US")} bytes; Bandwidth accepts at most ${MAX_DOCUMENT_BYTES.toLocaleString("en-US")} bytes (64 KB), the call would end with invalid-bxml; the limit is crossed here`,
    pos,
  };
}

function notText(message: string, pos: Position): InputProblem {
  return { ruleId: "bxml/not-text", message, pos };
}
