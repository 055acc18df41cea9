// G.711 A-law (ITU-T G.711 Tables 1a/1b) as the ITU-T G.191 STL reference `alaw_compress` /
// `alaw_expand` (identical to the revised Sun `g711.c`): 16-bit input truncated to 13 bits, negative
// values by one's complement, even bits inverted (XOR 0x55). Needed for PlayAudio WAVs (bandwidth.md §2.10).
// (The original 16-bit Sun code's `-pcm_val - 8` mis-encodes -1…-7; we do not reproduce that bug.)

import { g711Codec } from "./g711.js";

/** The A-law code for +0 (decodes to +8, the smallest positive step). */
export const ALAW_SILENCE = 0xd5;

function linearToAlaw(sample: number): number {
  const negative = sample < 0;
  let ix = (negative ? ~sample : sample) >> 4; // 12-bit magnitude
  if (ix > 15) {
    let exp = 1;
    while (ix > 16 + 15) {
      ix >>= 1;
      exp++;
    }
    ix -= 16;
    ix += exp << 4;
  }
  if (!negative) ix |= 0x80;
  return ix ^ 0x55;
}

function alawToLinear(code: number): number {
  const ix = (code ^ 0x55) & 0x7f;
  const exp = ix >> 4;
  let mant = ix & 0x0f;
  if (exp > 0) mant += 16;
  mant = (mant << 4) + 8;
  if (exp > 1) mant <<= exp - 1;
  return code > 127 ? mant : -mant;
}

const codec = g711Codec(alawToLinear, linearToAlaw);

/** Encode 16-bit linear PCM to A-law, one byte per sample (into `out` when given: a per-frame scratch). */
export const encodeAlaw: (pcm: Int16Array, out?: Uint8Array) => Uint8Array = codec.encode;

/** Decode A-law bytes to 16-bit linear PCM (range ±32256). */
export const decodeAlaw: (bytes: Uint8Array) => Int16Array = codec.decode;

/** One sample each way, for tables and tests. */
export const alawSample = codec.sample;
