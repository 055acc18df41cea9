import { describe, expect, it } from "vitest";
import { decodeWav, encodeWavPcm16, peaks } from "../html/wav.js";

function wav(format: number, bits: number, channels: number, rate: number, data: Uint8Array, extensible = false): Uint8Array {
  const fmtLen = extensible ? 40 : 16;
  const buf = new Uint8Array(12 + 8 + fmtLen + 8 + data.length + (data.length & 1));
  const dv = new DataView(buf.buffer);
  const w = (o: number, s: string) => [...s].forEach((c, i) => (buf[o + i] = c.charCodeAt(0)));
  w(0, "RIFF");
  dv.setUint32(4, buf.length - 8, true);
  w(8, "WAVE");
  w(12, "fmt ");
  dv.setUint32(16, fmtLen, true);
  dv.setUint16(20, extensible ? 0xfffe : format, true);
  dv.setUint16(22, channels, true);
  dv.setUint32(24, rate, true);
  dv.setUint32(28, (rate * channels * bits) / 8, true);
  dv.setUint16(32, (channels * bits) / 8, true);
  dv.setUint16(34, bits, true);
  if (extensible) {
    dv.setUint16(36, 22, true);
    dv.setUint16(44, format, true);
  }
  const d = 20 + fmtLen;
  w(d, "data");
  dv.setUint32(d + 4, data.length, true);
  buf.set(data, d + 8);
  return buf;
}

describe("WAV decoding for the report", () => {
  it("round-trips 16-bit PCM", () => {
    const s = Float32Array.from({ length: 800 }, (_, i) => Math.sin(i / 10) * 0.5);
    const r = decodeWav(encodeWavPcm16(s, 8000));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.wav.sampleRate).toBe(8000);
    expect(r.wav.samples.length).toBe(800);
    expect(Math.max(...[...r.wav.samples].map((v, i) => Math.abs(v - s[i])))).toBeLessThan(1e-4);
  });

  it("decodes μ-law, A-law, float, 24-bit, stereo and WAVE_FORMAT_EXTENSIBLE", () => {
    const ulaw = decodeWav(wav(7, 8, 1, 8000, Uint8Array.from([0xff, 0x7f, 0x80, 0x00])));
    expect(ulaw.ok && [...ulaw.wav.samples].map((v) => Math.round(v * 32768))).toEqual([0, 0, 32124, -32124]);
    const alaw = decodeWav(wav(6, 8, 1, 8000, Uint8Array.from([0xd5, 0xaa])));
    expect(alaw.ok && Math.round(alaw.wav.samples[0] * 32768)).toBe(8);
    const f = new Float32Array([0.25, -0.5]);
    const fl = decodeWav(wav(3, 32, 1, 16000, new Uint8Array(f.buffer)));
    expect(fl.ok && [...fl.wav.samples]).toEqual([0.25, -0.5]);
    const p24 = decodeWav(wav(1, 24, 1, 8000, Uint8Array.from([0, 0, 0x80, 0xff, 0xff, 0x7f])));
    expect(p24.ok && [...p24.wav.samples].map((v) => v.toFixed(3))).toEqual(["-1.000", "1.000"]);
    const st = new Int16Array([16384, -16384, 8192, 8192]);
    const stereo = decodeWav(wav(1, 16, 2, 8000, new Uint8Array(st.buffer)));
    expect(stereo.ok && [...stereo.wav.samples]).toEqual([0, 0.25]);
    const ext = decodeWav(wav(1, 16, 1, 24000, new Uint8Array(new Int16Array([16384]).buffer), true));
    expect(ext.ok && ext.wav.sampleRate).toBe(24000);
  });

  it("returns a clear error for bad input and bounds the work", () => {
    expect(decodeWav(new Uint8Array(3))).toEqual({ ok: false, error: "not a RIFF/WAVE file" });
    expect(decodeWav(wav(2, 4, 1, 8000, new Uint8Array(10)))).toEqual({ ok: false, error: "unsupported WAV encoding (format 2, 4 bits)" });
    const noData = wav(1, 16, 1, 8000, new Uint8Array(0)).slice(0, 36);
    expect(decodeWav(noData)).toMatchObject({ ok: false, error: "no data chunk" });
    const long = decodeWav(encodeWavPcm16(new Float32Array(8000 * 3), 8000), 1);
    expect(long.ok && long.wav.samples.length).toBe(8000);
  });

  it("peaks give min/max per bucket", () => {
    const p = peaks(Float32Array.from([0.1, -0.2, 0.5, -0.9]), 2);
    expect(p.map((x) => [x.min, x.max].map((v) => +v.toFixed(2)))).toEqual([[-0.2, 0.1], [-0.9, 0.5]]);
  });
});
