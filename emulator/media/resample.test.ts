// Resampler quality, exactness of streaming vs one-shot, and edge cases (resample.ts).
import { describe, expect, it } from "vitest";
import { correlation, dominantFrequency, rms } from "./analysis.js";
import { resample, StreamingResampler } from "./resample.js";
import { concat, silence, speechLike, tone } from "./synth.js";

function chunked(pcm: Int16Array, from: number, to: number, sizes: number[]): Int16Array {
  const r = new StreamingResampler(from, to);
  const parts: Int16Array[] = [];
  let at = 0;
  for (let k = 0; at < pcm.length; k++) {
    const n = sizes[k % sizes.length];
    parts.push(r.push(pcm.subarray(at, at + n)));
    at += n;
  }
  parts.push(r.flush());
  return concat(...parts);
}

const same = (a: Int16Array, b: Int16Array) => a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe("resample", () => {
  it("24 kHz → 8 kHz of a 1 kHz tone matches a direct 8 kHz tone (r ≥ 0.99, no lag)", () => {
    const out = resample(tone(1000, 1000, 24000), 24000, 8000);
    const direct = tone(1000, 1000, 8000);
    expect(out.length).toBe(8000);
    const c = correlation(direct, out, 0);
    expect(c.r).toBeGreaterThanOrEqual(0.999);
    expect(rms(out) / rms(direct)).toBeCloseTo(1, 2);
  });

  it("keeps the telephone band and removes content above the new Nyquist (no aliasing)", () => {
    const gainDb = (f: number) => {
      const x = tone(f, 500, 24000);
      const y = resample(x, 24000, 8000);
      return 20 * Math.log10(rms(y.subarray(400, 3600)) / rms(x) + 1e-12);
    };
    expect(Math.abs(gainDb(300))).toBeLessThan(0.1);
    expect(Math.abs(gainDb(3000))).toBeLessThan(0.1);
    expect(gainDb(3400)).toBeGreaterThan(-1.5);
    expect(gainDb(4500)).toBeLessThan(-60); // would alias to 3.5 kHz
    expect(gainDb(6000)).toBeLessThan(-60);
    expect(gainDb(9000)).toBeLessThan(-60);
  });

  it("upsamples 8 → 16 and 8 → 24 kHz without imaging", () => {
    for (const to of [16000, 24000]) {
      const y = resample(tone(1000, 500, 8000), 8000, to);
      expect(y.length).toBe(to / 2);
      expect(correlation(tone(1000, 500, to), y, 0).r).toBeGreaterThan(0.999);
      expect(dominantFrequency(y, to)).toBeCloseTo(1000, 0);
    }
  });

  it("handles awkward ratios (44.1 kHz, 11.025 kHz → 8 kHz) keeping pitch and length", () => {
    for (const from of [44100, 22050, 11025]) {
      const y = resample(tone(440, 1000, from), from, 8000);
      expect(y.length).toBe(8000);
      expect(Math.abs(dominantFrequency(y, 8000) - 440)).toBeLessThan(1);
    }
  });

  it("keeps timing: an impulse stays at the same time across rates (zero-phase filter)", () => {
    const x = new Int16Array(24000);
    x[12000] = 30000; // at 500 ms
    const y = resample(x, 24000, 8000);
    let peak = 0;
    for (let i = 1; i < y.length; i++) if (Math.abs(y[i]) > Math.abs(y[peak])) peak = i;
    expect(peak).toBe(4000);
    for (let j = 1; j < 40; j++) expect(Math.abs(y[4000 + j] - y[4000 - j])).toBeLessThanOrEqual(1);
  });

  it("same rate is a copy; empty input gives empty output; digital silence stays exactly zero", () => {
    const x = tone(440, 20, 8000);
    const y = resample(x, 8000, 8000);
    expect(same(x, y)).toBe(true);
    expect(y).not.toBe(x);
    expect(resample(new Int16Array(0), 24000, 8000).length).toBe(0);
    const s = resample(silence(100, 24000), 24000, 8000);
    expect(s.every((v) => v === 0)).toBe(true);
  });

  it("clips instead of wrapping on full-scale square waves (Gibbs overshoot)", () => {
    const x = new Int16Array(2400);
    for (let i = 0; i < x.length; i++) x[i] = Math.floor(i / 60) % 2 ? 32767 : -32768;
    const y = resample(x, 24000, 8000);
    // a wrapped sample would flip sign inside a flat half-period
    for (let i = 0; i < y.length; i++) {
      const half = Math.floor((i * 3) / 60) % 2;
      const mid = (i * 3) % 60 > 15 && (i * 3) % 60 < 45;
      if (mid) expect(Math.sign(y[i])).toBe(half ? 1 : -1);
    }
  });

  it("rejects nonsense rates", () => {
    expect(() => resample(new Int16Array(1), 0, 8000)).toThrow(RangeError);
    expect(() => resample(new Int16Array(1), 8000, 7999.5)).toThrow(/positive integer/);
  });
});

describe("StreamingResampler", () => {
  const speech = speechLike(1500, 24000, 7);
  for (const [from, to] of [
    [24000, 8000],
    [16000, 8000],
    [8000, 16000],
    [44100, 8000],
    [8000, 24000],
  ]) {
    it(`chunked output equals one-shot, sample for sample (${from} → ${to})`, () => {
      const x = from === 24000 ? speech : resample(speech, 24000, from);
      const oneShot = resample(x, from, to);
      expect(same(chunked(x, from, to, [480]), oneShot)).toBe(true);
      expect(same(chunked(x, from, to, [1, 7, 160, 3, 999, 2]), oneShot)).toBe(true);
      expect(same(chunked(x, from, to, [x.length]), oneShot)).toBe(true);
    });
  }

  it("holds back only the filter's half-width (low latency) and flushes the rest", () => {
    const r = new StreamingResampler(24000, 8000);
    const first = r.push(tone(1000, 100, 24000)); // 2400 in
    expect(first.length).toBeGreaterThan(750); // 800 total minus ≈ 27 held back
    const rest = r.flush();
    expect(first.length + rest.length).toBe(800);
    expect(() => r.push(new Int16Array(10))).toThrow(/after flush/);
    expect(r.flush().length).toBe(0);
  });
});
