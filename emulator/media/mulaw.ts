// G.711 μ-law (ITU-T G.711 Tables 2a/2b), bit-for-bit as the classic Sun Microsystems `g711.c`
// (linear2ulaw / ulaw2linear): bias 0x84, magnitude clipped at 32635, no zero-trap. This is what the
// PCMU inbound track carries (bandwidth.md §4.4) and what `audio/pcmu` playAudio payloads hold (§4.6).

import { g711Codec } from "./g711.js";

/** The μ-law code for digital silence: a silent 160-byte frame is 160 × 0xFF (bandwidth.md §4.4). */
export const MULAW_SILENCE = 0xff;

const BIAS = 0x84;
const CLIP = 32635;

/** Sun `linear2ulaw` for one 16-bit sample. */
function linearToUlaw(sample: number): number {
  let s = sample;
  const sign = s < 0 ? 0x80 : 0;
  if (sign) s = -s;
  if (s > CLIP) s = CLIP;
  s += BIAS;
  // Segment (exponent) = position of the highest set bit above bit 7.
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** Sun `ulaw2linear` for one code. */
function ulawToLinear(code: number): number {
  const u = ~code & 0xff;
  let t = ((u & 0x0f) << 3) + BIAS;
  t <<= (u & 0x70) >> 4;
  return u & 0x80 ? BIAS - t : t - BIAS;
}

const codec = g711Codec(ulawToLinear, linearToUlaw);

/** Encode 16-bit linear PCM to μ-law, one byte per sample (into `out` when given: a per-frame scratch). */
export const encodeMulaw: (pcm: Int16Array, out?: Uint8Array) => Uint8Array = codec.encode;

/** Decode μ-law bytes to 16-bit linear PCM (range ±32124; into `out` when given: a per-message scratch). */
export const decodeMulaw: (bytes: Uint8Array, out?: Int16Array) => Int16Array = codec.decode;

/** One sample each way, for tables and tests. */
export const mulawSample = codec.sample;
