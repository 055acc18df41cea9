// G.711's two laws as lookup tables: 256 decoded values and all 65 536 encodings (64 KiB), so the
// per-frame work is a lookup. mulaw.ts and alaw.ts give their sample functions (ITU-T G.711).

export interface G711Codec {
  /** Encode 16-bit linear PCM, one byte per sample (into `out` when given: a per-frame scratch). */
  encode(pcm: Int16Array, out?: Uint8Array): Uint8Array;
  /** Decode bytes to 16-bit linear PCM (into `out` when given and long enough: a per-message scratch). */
  decode(bytes: Uint8Array, out?: Int16Array): Int16Array;
  /** One sample each way, for tables and tests. */
  sample: { encode(x: number): number; decode(code: number): number };
}

export function g711Codec(toLinear: (code: number) => number, fromLinear: (x: number) => number): G711Codec {
  const DECODE = new Int16Array(256);
  for (let c = 0; c < 256; c++) DECODE[c] = toLinear(c);
  const ENCODE = new Uint8Array(65536);
  for (let x = -32768; x < 32768; x++) ENCODE[x & 0xffff] = fromLinear(x);
  return {
    encode(pcm, out) {
      const o = out && out.length >= pcm.length ? out : new Uint8Array(pcm.length);
      for (let i = 0; i < pcm.length; i++) o[i] = ENCODE[pcm[i] & 0xffff];
      return o.length === pcm.length ? o : o.subarray(0, pcm.length);
    },
    decode(bytes, into) {
      const out = into && into.length >= bytes.length ? into : new Int16Array(bytes.length);
      for (let i = 0; i < bytes.length; i++) out[i] = DECODE[bytes[i]];
      return out.length === bytes.length ? out : out.subarray(0, bytes.length);
    },
    sample: {
      encode: (x) => ENCODE[x & 0xffff],
      decode: (code) => DECODE[code & 0xff],
    },
  };
}
