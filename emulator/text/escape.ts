// The one escaper for text that came from an app and is shown on a terminal. A close reason, a
// frame, a status line or a BXML attribute can carry ESC/OSC/CSI sequences (retitle the window,
// clear the screen, forge lines), BEL, or bidi overrides that make text read backwards; shown
// escaped (`\x1b`, `\u202e`) they are harmless and still tell the user what the app sent.
// Reports use their own escaping (HTML, XML, JSON); this is for terminal presenters only.

/** C0 (tab and line breaks aside), DEL, C1, and the Unicode bidi controls. */
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** The same, plus tab and line breaks: for text that must stay on one line. */
const CONTROLS_AND_BREAKS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** What JSON.stringify leaves raw: DEL, C1, bidi and line separators. */
const JSON_RAW = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function show(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * App-derived text made safe for a terminal: control characters shown as `\x1b`, `\u202e`….
 * `multiline` keeps line feeds, carriage returns before them, and tabs (code frames, observed blocks).
 */
export function escapeControls(text: string, opts: { multiline?: boolean } = {}): string {
  const re = opts.multiline ? CONTROLS : CONTROLS_AND_BREAKS;
  const s = opts.multiline ? text.replace(/\r(?!\n)/g, "\\r") : text;
  return s.replace(re, show);
}

/**
 * JSON text (JSON.stringify output) made safe for a terminal and still valid JSON: the characters
 * JSON.stringify leaves raw inside strings become `\u` escapes.
 */
export function escapeJsonControls(json: string): string {
  return json.replace(JSON_RAW, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** One U+FFFD per control character (tab kept): for excerpts whose columns must stay aligned (lint's caret). */
export function maskControls(text: string): string {
  return text.replace(CONTROLS_AND_BREAKS, (ch) => (ch === "\t" ? ch : "\ufffd"));
}
