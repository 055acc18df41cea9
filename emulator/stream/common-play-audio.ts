// The `playAudio` most bridges send, every 20–500 ms of every call: `JSON.stringify` of
// `{ eventType: "playAudio", media: { contentType, payload } }` with one of the four content types
// (bandwidth.md §4.6). Recognised in the message's bytes, it is validated and its base64 decoded
// there: no string of the message, no JSON.parse object tree, no copy of the payload, no shape
// pre-scan (its shape is known). Anything else, or anything that would not validate, goes the usual
// way, so the audio is always the one `parseAppMessage` gives.

import { BASE64_VALUES as B64, playAudioFormat, type PlayAudioPayload } from "../protocol/media-stream-codec.js";
import { PLAY_AUDIO_CONTENT_TYPES } from "../protocol/media-stream.js";

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const HEAD = ascii('{"eventType":"playAudio","media":{"contentType":"');
const MID = ascii('","payload":"');
const TAIL = ascii('"}}');
const TYPES = PLAY_AUDIO_CONTENT_TYPES.map((ct) => ({ ct, bytes: ascii(ct), format: playAudioFormat(ct) }));
const QUOTE = 0x22;
const PAD = 0x3d; // =

function bytesAt(b: Uint8Array, at: number, pat: Uint8Array): boolean {
  if (at < 0 || at + pat.length > b.length) return false;
  for (let i = 0; i < pat.length; i++) if (b[at + i] !== pat[i]) return false;
  return true;
}

/**
 * Where the audio is decoded: one buffer, grown as needed, so a playAudio costs no ArrayBuffer (50 a
 * second per call, each a malloc and a young-generation sweep). The result is valid until the next call.
 * Past SCRATCH_MAX (seconds of audio in one message) a message gets its own array: one flood must not
 * leave a large buffer held for the rest of the run.
 */
let scratch = new Uint8Array(1024);
const SCRATCH_MAX = 64 * 1024;
/** The scratch's first n bytes, kept while messages are of one size (a bridge's deltas are). */
let view = scratch.subarray(0, 0);

/**
 * Strict padded base64 in b[from, to): the decoded bytes, or undefined for anything the strict
 * decoder (decodeBase64Strict) might refuse or read otherwise — a length that is not a multiple of
 * 4 (unpadded), a byte outside the alphabet, `=` anywhere but the last two places.
 */
function decodeBase64(b: Uint8Array, from: number, to: number): Uint8Array | undefined {
  const len = to - from;
  if (len % 4 !== 0) return undefined;
  const pad = len === 0 || b[to - 1] !== PAD ? 0 : b[to - 2] === PAD ? 2 : 1;
  const n = (len / 4) * 3 - pad;
  if (n > SCRATCH_MAX) return decodeInto(b, from, to, pad, new Uint8Array(n));
  if (scratch.length < n) scratch = new Uint8Array(Math.min(SCRATCH_MAX, Math.max(n, scratch.length * 2)));
  if (view.length !== n || view.buffer !== scratch.buffer) view = scratch.subarray(0, n);
  return decodeInto(b, from, to, pad, view);
}

function decodeInto(b: Uint8Array, from: number, to: number, pad: number, out: Uint8Array): Uint8Array | undefined {
  const whole = pad ? to - 4 : to;
  let o = 0;
  for (let i = from; i < whole; i += 4) {
    const a = B64[b[i]];
    const x = B64[b[i + 1]];
    const y = B64[b[i + 2]];
    const z = B64[b[i + 3]];
    if ((a | x | y | z) < 0) return undefined;
    const n = (a << 18) | (x << 12) | (y << 6) | z;
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  if (pad) {
    const a = B64[b[whole]];
    const x = B64[b[whole + 1]];
    if ((a | x) < 0) return undefined;
    out[o++] = (a << 2) | (x >> 4);
    if (pad === 1) {
      const y = B64[b[whole + 2]];
      if (y < 0) return undefined;
      out[o] = ((x & 0x0f) << 4) | (y >> 2);
    }
  }
  return out;
}

/** What commonPlayAudio returns: one object, rewritten every call. */
const result: PlayAudioPayload = { format: TYPES[0].format, rawContentType: "", exactContentType: true, bytes: view, samples: 0, durationMs: 0 };

/**
 * `parseAppMessage(text, opts).audio`, whatever the options, when the message's UTF-8 bytes are the common spelling of a
 * valid playAudio; undefined otherwise (the full parse then gives the result, or the located error).
 * The result is one shared object and its `bytes` a view of a shared buffer, both valid until the
 * next call: read or copy them at once.
 */
export function commonPlayAudio(b: Uint8Array): PlayAudioPayload | undefined {
  if (!bytesAt(b, 0, HEAD)) return undefined;
  const at = HEAD.length;
  let type: (typeof TYPES)[number] | undefined;
  for (const t of TYPES) if (b[at + t.bytes.length] === QUOTE && bytesAt(b, at, t.bytes)) type = t;
  if (!type) return undefined;
  const payloadAt = at + type.bytes.length + MID.length;
  const end = b.length - TAIL.length;
  if (end < payloadAt || !bytesAt(b, payloadAt - MID.length, MID) || !bytesAt(b, end, TAIL)) return undefined;
  // Every payload byte is checked against the alphabet, so no quote or escape hides in it: the
  // text JSON.parse would read is this one. Unpadded payloads (allowed by an option) take the full parse.
  const bytes = decodeBase64(b, payloadAt, end);
  if (!bytes) return undefined;
  const format = type.format;
  if (bytes.length % format.bytesPerSample !== 0) return undefined;
  const samples = bytes.length / format.bytesPerSample;
  result.format = format;
  result.rawContentType = type.ct;
  result.bytes = bytes;
  result.samples = samples;
  result.durationMs = (samples * 1000) / format.sampleRate;
  return result;
}
