// The carrier's text frames as a WebSocket client writes them (RFC 6455 §5.2 base framing, §5.3
// client-to-server masking), several in one buffer: a tick's `media` frames for both tracks leave in
// one socket write. `ws` would frame each on its own (an options object, a header buffer, a masked
// copy, a corked writev of four buffers): at 100 calls that was a fifth of the carrier's CPU. The
// `media` frames are written from their parts, with no text in between: a tick's strings were most
// of a load shard's young-generation garbage, and its scavenges (~2 ms each) are pacing lateness.
// Only for text the carrier itself composed, and only while `ws` is OPEN (the stream sends nothing
// otherwise); `ws` still does everything else on the socket (handshake, reading, control frames, close).

import { randomFillSync } from "node:crypto";
import type { MediaFrameTemplate } from "../protocol/media-stream-codec.js";

/** Masking keys are drawn from a pool filled from the CSPRNG (RFC 6455 §5.3: unpredictable), as `ws` does. */
const POOL_BYTES = 8192;
const pool = Buffer.alloc(POOL_BYTES);
let poolAt = POOL_BYTES;

/** Each frame's byte length, reused from call to call (no array per write). */
let lens: number[] = [];

function headerBytes(len: number): number {
  return 2 + (len > 65535 ? 8 : len > 125 ? 2 : 0) + 4;
}

/** The frame header for a payload of `len` bytes and a fresh masking key, at `at`; returns where the payload goes. */
function writeHeader(out: Buffer, at: number, len: number): number {
  out[at++] = 0x81; // FIN, opcode 1 (text)
  if (len > 65535) {
    out[at++] = 0x80 | 127;
    out.writeUInt32BE(Math.floor(len / 2 ** 32), at);
    out.writeUInt32BE(len >>> 0, at + 4);
    at += 8;
  } else if (len > 125) {
    out[at++] = 0x80 | 126;
    out.writeUInt16BE(len, at);
    at += 2;
  } else out[at++] = 0x80 | len;
  if (poolAt + 4 > POOL_BYTES) {
    randomFillSync(pool);
    poolAt = 0;
  }
  out[at] = pool[poolAt];
  out[at + 1] = pool[poolAt + 1];
  out[at + 2] = pool[poolAt + 2];
  out[at + 3] = pool[poolAt + 3];
  poolAt += 4;
  return at + 4;
}

/** Masks the payload `[at, end)` in place with the key in the 4 bytes before it (RFC 6455 §5.3). */
function mask(out: Buffer, at: number, end: number): void {
  const k0 = out[at - 4];
  const k1 = out[at - 3];
  const k2 = out[at - 2];
  const k3 = out[at - 1];
  let j = at;
  for (; j + 4 <= end; j += 4) {
    out[j] ^= k0;
    out[j + 1] ^= k1;
    out[j + 2] ^= k2;
    out[j + 3] ^= k3;
  }
  for (let m = 0; j < end; j++, m++) out[j] ^= m === 0 ? k0 : m === 1 ? k1 : k2;
}

/**
 * The frames' bytes (each a final, masked text frame), in order, in one buffer. `frames` are UTF-8
 * bytes or text. `ascii`: every text is ASCII, so it is copied a byte a character, with neither a
 * UTF-8 length scan nor transcoding.
 */
export function clientTextFrames(frames: readonly (Uint8Array | string)[], ascii = false): Buffer {
  let total = 0;
  if (lens.length < frames.length) lens = new Array<number>(frames.length);
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i];
    const len = typeof f !== "string" ? f.length : ascii ? f.length : Buffer.byteLength(f, "utf8");
    lens[i] = len;
    total += headerBytes(len) + len;
  }
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i];
    const len = lens[i];
    at = writeHeader(out, at, len);
    if (typeof f === "string") out.write(f, at, ascii ? "latin1" : "utf8");
    else out.set(f, at);
    mask(out, at, at + len);
    at += len;
  }
  return out;
}

/**
 * A `media` frame to write (§4.3): its track's template, its payload as base64 text or as the bytes
 * to base64 here, and its sequence number. Everything in it is ASCII.
 */
export interface MediaFrameParts {
  template: MediaFrameTemplate;
  payload: string | Uint8Array;
  sequenceNumber: number;
}

const B64 = Buffer.from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", "latin1");

const digits = (n: number): number => (n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10000 ? 4 : n < 100000 ? 5 : String(n).length);

/** The frame's text length: `head + payload + mid + sequenceNumber + tail`, as fillMediaFrame would build it. */
export function mediaFrameLength(f: MediaFrameParts): number {
  const t = f.template;
  const payload = typeof f.payload === "string" ? f.payload.length : Math.ceil(f.payload.length / 3) * 4;
  return t.head.length + payload + t.mid.length + digits(f.sequenceNumber) + t.tail.length;
}

/** base64 (RFC 4648 §4, padded) of `b` written at `at`; returns the end. */
function base64Into(out: Buffer, at: number, b: Uint8Array): number {
  const n = b.length;
  let i = 0;
  for (; i + 3 <= n; i += 3) {
    const v = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
    out[at] = B64[v >>> 18];
    out[at + 1] = B64[(v >>> 12) & 63];
    out[at + 2] = B64[(v >>> 6) & 63];
    out[at + 3] = B64[v & 63];
    at += 4;
  }
  if (i < n) {
    const two = i + 1 < n;
    const v = (b[i] << 16) | (two ? b[i + 1] << 8 : 0);
    out[at] = B64[v >>> 18];
    out[at + 1] = B64[(v >>> 12) & 63];
    out[at + 2] = two ? B64[(v >>> 6) & 63] : 0x3d;
    out[at + 3] = 0x3d; // "="
    at += 4;
  }
  return at;
}

/**
 * `media` frames written straight into one buffer of masked text frames: what clientTextFrames makes
 * of their fillMediaFrame text (masking keys aside), without the text: no string per frame, and a
 * payload given as bytes is base64'd in place. `lengths[i]` gets frame i's text length.
 */
export function clientMediaFrames(frames: readonly MediaFrameParts[], lengths: number[]): Buffer {
  let total = 0;
  for (let i = 0; i < frames.length; i++) {
    const len = mediaFrameLength(frames[i]);
    lengths[i] = len;
    total += headerBytes(len) + len;
  }
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i];
    const t = f.template;
    const start = writeHeader(out, at, lengths[i]);
    at = start + out.write(t.head, start, "latin1");
    at = typeof f.payload === "string" ? at + out.write(f.payload, at, "latin1") : base64Into(out, at, f.payload);
    at += out.write(t.mid, at, "latin1");
    const d = digits(f.sequenceNumber);
    for (let k = at + d - 1, v = f.sequenceNumber; k >= at; k--, v = Math.floor(v / 10)) out[k] = 0x30 + (v % 10);
    at += d;
    at += out.write(t.tail, at, "latin1");
    mask(out, start, at);
  }
  return out;
}
