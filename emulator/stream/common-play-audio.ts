// The `playAudio` most bridges send, every 20–500 ms of every call: `JSON.stringify` of
// `{ eventType: "playAudio", media: { contentType, payload } }` with one of the four content types
// (bandwidth.md §4.6). Recognised by its text, it is validated without JSON.parse building an object
// tree and a copy of the payload, and without the shape pre-scan (its shape is known): less garbage on
// the receive path. Anything else, or anything that would not validate, goes the usual way, so the
// result is always the one `parseAppMessage` gives.

import { validateAppMessage, type ParseOptions, type ParseResult } from "../protocol/media-stream-codec.js";
import { PLAY_AUDIO_CONTENT_TYPES } from "../protocol/media-stream.js";

const HEAD = '{"eventType":"playAudio","media":{"contentType":"';
const MID = '","payload":"';
const TAIL = '"}}';
const CANONICAL: ReadonlySet<string> = new Set(PLAY_AUDIO_CONTENT_TYPES);

/** `parseAppMessage(text, opts)` when `text` is the common spelling of a valid playAudio; undefined otherwise. */
export function parseCommonPlayAudio(text: string, opts?: ParseOptions): ParseResult | undefined {
  if (!text.startsWith(HEAD) || !text.endsWith(TAIL)) return undefined;
  const ctEnd = text.indexOf('"', HEAD.length);
  if (ctEnd < 0 || !text.startsWith(MID, ctEnd)) return undefined;
  const contentType = text.slice(HEAD.length, ctEnd);
  if (!CANONICAL.has(contentType)) return undefined;
  const at = ctEnd + MID.length;
  const end = text.length - TAIL.length;
  // The payload is the rest up to the tail: no quote inside, no escape (JSON.parse would read the same string).
  if (end < at || text.indexOf('"', at) !== end || text.indexOf("\\", at) !== -1) return undefined;
  const r = validateAppMessage({ eventType: "playAudio", media: { contentType, payload: text.slice(at, end) } }, opts);
  // A payload that fails validation (or a control character JSON.parse would refuse first) is left to the full parse.
  return r.ok ? r : undefined;
}
