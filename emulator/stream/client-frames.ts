// The carrier's text frames as a WebSocket client writes them (RFC 6455 §5.2 base framing, §5.3
// client-to-server masking), several in one buffer: a tick's `media` frames for both tracks leave in
// one socket write. `ws` would frame each on its own (an options object, a header buffer, a masked
// copy, a corked writev of four buffers): at 100 calls that was a fifth of the carrier's CPU.
// Only for text the carrier itself composed, and only while `ws` is OPEN (the stream sends nothing
// otherwise); `ws` still does everything else on the socket (handshake, reading, control frames, close).

import { randomFillSync } from "node:crypto";

/** Masking keys are drawn from a pool filled from the CSPRNG (RFC 6455 §5.3: unpredictable), as `ws` does. */
const POOL_BYTES = 8192;
const pool = Buffer.alloc(POOL_BYTES);
let poolAt = POOL_BYTES;

/** Each frame's byte length, reused from call to call (no array per write). */
let lens: number[] = [];

function headerBytes(len: number): number {
  return 2 + (len > 65535 ? 8 : len > 125 ? 2 : 0) + 4;
}

/**
 * The frames' bytes (each a final, masked text frame), in order, in one buffer. `frames` are UTF-8
 * bytes or text. `ascii`: every text is ASCII (the carrier's `media` frames: a template, base64 and
 * digits), so it is copied a byte a character, with neither a UTF-8 length scan nor transcoding.
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
    const k0 = pool[poolAt];
    const k1 = pool[poolAt + 1];
    const k2 = pool[poolAt + 2];
    const k3 = pool[poolAt + 3];
    poolAt += 4;
    out[at] = k0;
    out[at + 1] = k1;
    out[at + 2] = k2;
    out[at + 3] = k3;
    at += 4;
    if (typeof f === "string") out.write(f, at, ascii ? "latin1" : "utf8");
    else out.set(f, at);
    const end = at + len;
    let j = at;
    for (; j + 4 <= end; j += 4) {
      out[j] ^= k0;
      out[j + 1] ^= k1;
      out[j + 2] ^= k2;
      out[j + 3] ^= k3;
    }
    for (let m = 0; j < end; j++, m++) out[j] ^= m === 0 ? k0 : m === 1 ? k1 : k2;
    at = end;
  }
  return out;
}
