// G.711 μ-law / A-law tables and round trips, PCM16 byte order (mulaw.ts, alaw.ts, pcm16.ts).
import { describe, expect, it } from "vitest";
import { ALAW_SILENCE, alawSample, decodeAlaw, encodeAlaw } from "./alaw.js";
import { decodeMulaw, encodeMulaw, MULAW_SILENCE, mulawSample } from "./mulaw.js";
import { pcm16FromBytesLE, pcm16ToBytesLE } from "./pcm16.js";

const ALL = Int16Array.from({ length: 65536 }, (_, i) => i - 32768);
const CODES = Uint8Array.from({ length: 256 }, (_, i) => i);

/** How often a sequence goes down: 0 for a monotonic one. */
const drops = (xs: Int16Array): number => xs.reduce((n, x, i) => n + (i > 0 && x < xs[i - 1] ? 1 : 0), 0);

describe("μ-law (Sun g711.c)", () => {
  it("decodes to the G.711 table values", () => {
    // Reference values from CPython audioop.ulaw2lin (same decoder).
    const table: [number, number][] = [
      [0x00, -32124], [0x01, -31100], [0x0f, -16764], [0x10, -15996], [0x3f, -1980], [0x40, -1884],
      [0x70, -120], [0x7e, -8], [0x7f, 0], [0x80, 32124], [0x8f, 16764], [0xc5, 1564], [0xfe, 8], [0xff, 0],
    ];
    for (const [code, value] of table) expect(mulawSample.decode(code), `0x${code.toString(16)}`).toBe(value);
  });

  it("encodes known values (bias 0x84, clip 32635)", () => {
    const table: [number, number][] = [
      [0, 0xff], [1, 0xff], [-1, 0x7f], [7, 0xfe], [8, 0xfe], [-8, 0x7e], [100, 0xf2], [-100, 0x72],
      [1000, 0xce], [-1000, 0x4e], [4000, 0xaf], [-4000, 0x2f], [12345, 0x97], [-12345, 0x17],
      [32635, 0x80], [32767, 0x80], [-32635, 0x00], [-32768, 0x00],
    ];
    for (const [x, code] of table) expect(mulawSample.encode(x), String(x)).toBe(code);
  });

  it("is sign-symmetric: encode(-x) is encode(x) with the sign bit cleared", () => {
    const bad: number[] = [];
    for (let x = 1; x <= 32767; x++) if (mulawSample.encode(-x) !== (mulawSample.encode(x) & 0x7f)) bad.push(x);
    expect(bad).toEqual([]);
  });

  it("is monotonic over the whole 16-bit range", () => {
    expect(drops(decodeMulaw(encodeMulaw(ALL)))).toBe(0);
  });

  it("μ-law → PCM → μ-law is bit-exact for every code except the two zeros", () => {
    const back = encodeMulaw(decodeMulaw(CODES));
    for (let c = 0; c < 256; c++) {
      if (c === 0x7f) expect(back[c]).toBe(MULAW_SILENCE); // −0 and +0 both decode to 0
      else expect(back[c], `0x${c.toString(16)}`).toBe(c);
    }
  });

  it("decode → encode → decode is stable for every code", () => {
    const once = decodeMulaw(CODES);
    expect(decodeMulaw(encodeMulaw(once))).toEqual(once);
  });

  it("decodes to the middle of each quantisation interval (error ≤ half a step)", () => {
    const dec = decodeMulaw(encodeMulaw(ALL));
    let worst = 0;
    for (let i = 0; i < ALL.length; i++) {
      const x = Math.max(-32635, Math.min(32635, ALL[i]));
      // segment s covers |x|+132 in [128·2^s, 256·2^s) with step 8·2^s: half a step ≤ (|x|+132)/32
      const excess = Math.abs(dec[i] - x) - (Math.abs(x) + 132) / 32;
      worst = Math.max(worst, excess);
    }
    expect(worst).toBeLessThanOrEqual(1);
  });

  it("silence is 0xFF", () => {
    expect(encodeMulaw(new Int16Array(160))).toEqual(new Uint8Array(160).fill(0xff));
    expect(Buffer.from(encodeMulaw(new Int16Array(160))).toString("base64")).toBe("/".repeat(212) + "/w==");
  });
});

describe("A-law (ITU-T G.191 reference)", () => {
  it("decodes and encodes table values", () => {
    // Reference values from CPython audioop.alaw2lin / lin2alaw (identical over all 65 536 inputs).
    const dec: [number, number][] = [
      [0x00, -5504], [0x2a, -32256], [0x55, -8], [0xd5, 8], [0xaa, 32256], [0x80, 5504], [0x7f, -848], [0x34, -8960], [0xb4, 8960],
    ];
    for (const [code, v] of dec) expect(alawSample.decode(code)).toBe(v);
    const enc: [number, number][] = [
      [0, 0xd5], [1, 0xd5], [-1, 0x55], [-8, 0x55], [100, 0xd3], [-100, 0x53], [1000, 0xfa], [-1000, 0x7a],
      [4000, 0x9a], [-4000, 0x1a], [12345, 0xbd], [-12345, 0x3d], [32767, 0xaa], [-32768, 0x2a],
    ];
    for (const [x, code] of enc) expect(alawSample.encode(x), String(x)).toBe(code);
    expect(ALAW_SILENCE).toBe(alawSample.encode(0));
  });

  it("A-law → PCM → A-law is bit-exact for all 256 codes", () => {
    expect(encodeAlaw(decodeAlaw(CODES))).toEqual(CODES);
  });

  it("small negatives do not flip sign (the old Sun -pcm_val-8 bug)", () => {
    for (let x = -16; x < 0; x++) expect(alawSample.decode(alawSample.encode(x))).toBeLessThan(0);
  });

  it("is monotonic", () => {
    expect(drops(decodeAlaw(encodeAlaw(ALL)))).toBe(0);
  });
});

describe("PCM16 little-endian", () => {
  it("round-trips every value", () => {
    const back = pcm16FromBytesLE(pcm16ToBytesLE(ALL));
    expect(Buffer.from(back.buffer).equals(Buffer.from(ALL.buffer))).toBe(true);
  });

  it("is little-endian regardless of host and alignment", () => {
    expect(Array.from(pcm16ToBytesLE(Int16Array.of(0x1234, -2)))).toEqual([0x34, 0x12, 0xfe, 0xff]);
    const unaligned = new Uint8Array([0, 0x34, 0x12, 0x00, 0x80]).subarray(1);
    expect(Array.from(pcm16FromBytesLE(unaligned))).toEqual([0x1234, -32768]);
  });

  it("rejects an odd byte count with a clear RangeError", () => {
    expect(() => pcm16FromBytesLE(new Uint8Array(641))).toThrow(RangeError);
    expect(() => pcm16FromBytesLE(new Uint8Array(641))).toThrow(/odd byte count \(641\)/);
  });
});
