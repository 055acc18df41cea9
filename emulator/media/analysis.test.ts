// Analysis, synthesis and framing helpers on known signals (analysis.ts, synth.ts, format.ts, fft.ts).
import { describe, expect, it } from "vitest";
import {
  compareFrames, correlation, dominantFrequency, frameCount, gapsMs, goertzel, isSilentFrame, rms, rmsDbfs,
  silences, speechFrames, splitFrames,
} from "./analysis.js";
import { fft } from "./fft.js";
import { bytesPerFrame, decodeFrame, encodeFrame, L16_16K, PCMU_8K, samplesPerFrame, toStreamRate } from "./format.js";
import { encodeMulaw } from "./mulaw.js";
import { concat, DTMF_FREQUENCIES, dtmfTone, ringback, silence, speechLike, tone, ttsDurationMs } from "./synth.js";

describe("levels and silence", () => {
  it("rms of a sine is amplitude/√2; dBFS", () => {
    expect(rms(tone(1000, 100, 8000, 1))).toBeCloseTo(32767 / Math.SQRT2, -1);
    expect(rmsDbfs(tone(1000, 100, 8000, 1))).toBeCloseTo(-3.01, 1);
    expect(rms(new Int16Array(0))).toBe(0);
    expect(rmsDbfs(silence(20, 8000))).toBe(-Infinity);
  });

  it("isSilentFrame uses a small magnitude threshold", () => {
    expect(isSilentFrame(new Int16Array(160))).toBe(true);
    expect(isSilentFrame(Int16Array.of(0, 8, -8, 64, -64))).toBe(true); // μ-law's smallest steps
    expect(isSilentFrame(Int16Array.of(0, 65))).toBe(false);
    expect(isSilentFrame(Int16Array.of(0, -65))).toBe(false);
    expect(isSilentFrame(Int16Array.of(100), 200)).toBe(true);
  });

  it("speechFrames finds each utterance's first and last speech frame", () => {
    const pcm = concat(silence(200, 8000), tone(300, 500, 8000), silence(600, 8000), tone(300, 40, 8000), silence(100, 8000));
    expect(speechFrames(pcm, 8000)).toEqual([
      { firstFrame: 10, lastFrame: 34 },
      { firstFrame: 65, lastFrame: 66 },
    ]);
    // gaps shorter than minGapMs do not split
    expect(speechFrames(pcm, 8000, { minGapMs: 1000 })).toEqual([{ firstFrame: 10, lastFrame: 66 }]);
    expect(speechFrames(silence(500, 8000), 8000)).toEqual([]);
    // frame boundaries are exact at 16 kHz too
    expect(speechFrames(concat(silence(40, 16000), tone(300, 20, 16000)), 16000)).toEqual([{ firstFrame: 2, lastFrame: 2 }]);
    expect(frameCount(161, 8000)).toBe(2);
  });

  it("silences() lists silent runs; gapsMs() differences", () => {
    const pcm = concat(tone(300, 100, 8000), silence(300, 8000), tone(300, 100, 8000), silence(60, 8000));
    expect(silences(pcm, 8000, { minMs: 100 })).toEqual([{ startMs: 100, endMs: 400 }]);
    expect(silences(pcm, 8000, { minMs: 60 })).toEqual([{ startMs: 100, endMs: 400 }, { startMs: 500, endMs: 560 }]);
    expect(gapsMs([0, 20_000, 40_500, 41_000])).toEqual([20, 20.5, 0.5]);
  });
});

describe("correlation", () => {
  const sig = speechLike(1000, 8000, 3);

  it("finds the lag of a delayed copy, with r = 1", () => {
    const delayed = concat(silence(25, 8000), sig); // 200 samples later
    const c = correlation(sig, delayed, 400);
    expect(c.lag).toBe(200);
    expect(c.r).toBeCloseTo(1, 6);
    const back = correlation(delayed, sig, 400);
    expect(back.lag).toBe(-200);
  });

  it("is scale-invariant and sign-aware", () => {
    const half = sig.map((v) => v >> 1);
    expect(correlation(sig, half).r).toBeGreaterThan(0.9999);
    expect(correlation(sig, sig.map((v) => -v)).r).toBeCloseTo(-1, 4);
  });

  it("scores unrelated signals low and μ-law-coded copies high", () => {
    expect(Math.abs(correlation(sig, speechLike(1000, 8000, 99), 100).r)).toBeLessThan(0.5);
    const coded = decodeFrame(encodeMulaw(sig), PCMU_8K);
    expect(correlation(sig, coded).r).toBeGreaterThan(0.99);
  });

  it("finds a clip inside a longer recording (normalised over the overlap)", () => {
    const clip = sig.subarray(2000, 4000);
    const c = correlation(clip, sig, 3000);
    expect(c.lag).toBe(2000);
    expect(c.r).toBeCloseTo(1, 6);
  });

  it("FFT path agrees with the direct path on long searches", () => {
    const long = speechLike(3000, 8000, 5);
    const shifted = concat(silence(100, 8000), long.subarray(0, 20_000)); // 800 samples later
    const c = correlation(long, shifted, 16_000); // 24 000 × 32 001 → FFT
    expect(c.lag).toBe(800);
    expect(c.r).toBeCloseTo(1, 6);
    const d = correlation(long.subarray(0, 2000), shifted.subarray(0, 2000), 900); // direct
    expect(d.lag).toBe(800);
  });

  it("edge cases: empty, both silent, one silent", () => {
    expect(correlation(new Int16Array(0), sig)).toEqual({ r: 0, lag: 0 });
    expect(correlation(silence(10, 8000), silence(10, 8000)).r).toBe(1);
    expect(correlation(silence(10, 8000), tone(100, 10, 8000)).r).toBe(0);
  });
});

describe("compareFrames", () => {
  const frames = Array.from({ length: 10 }, (_, i) => encodeMulaw(tone(200 + 50 * i, 20, 8000)));
  const silent = new Uint8Array(160).fill(0xff);

  it("identical sequences", () => {
    expect(compareFrames(frames, frames.map((f) => f.slice()))).toEqual({
      identical: true, dropped: 0, duplicated: 0, reordered: 0, unexpected: 0, firstMismatch: -1,
    });
  });

  it("counts drops, duplicates, reorders and corrupted frames", () => {
    const corrupted = frames[7].slice();
    corrupted[3] ^= 1;
    const got = [frames[0], frames[2], frames[1], frames[3], frames[3], frames[4], frames[5], frames[6], corrupted, frames[8]];
    expect(compareFrames(frames, got)).toEqual({
      identical: false, dropped: 2, duplicated: 1, reordered: 1, unexpected: 1, firstMismatch: 1,
    });
  });

  it("treats identical-content frames (silence) as interchangeable; a short tail is a mismatch", () => {
    const sent = [silent, frames[0], silent, silent];
    expect(compareFrames(sent, [silent, frames[0], silent, silent]).identical).toBe(true);
    expect(compareFrames(sent, [silent, frames[0], silent])).toMatchObject({ identical: false, dropped: 1, firstMismatch: 3 });
  });

  it("splitFrames cuts a byte stream into frames", () => {
    const parts = splitFrames(new Uint8Array(400), 160);
    expect(parts.map((p) => p.length)).toEqual([160, 160, 80]);
  });
});

describe("spectra", () => {
  it("dominantFrequency finds tones to within 1 Hz at 8 and 16 kHz", () => {
    for (const f of [200, 440, 1000, 1777, 3000]) {
      expect(Math.abs(dominantFrequency(tone(f, 500, 8000), 8000) - f)).toBeLessThan(1);
      expect(Math.abs(dominantFrequency(tone(f, 300, 16000), 16000) - f)).toBeLessThan(1);
    }
    expect(dominantFrequency(silence(100, 8000), 8000)).toBe(0);
    expect(dominantFrequency(concat(tone(600, 200, 8000, 0.1), tone(1500, 200, 8000, 0.5)), 8000)).toBeCloseTo(1500, -1);
  });

  it("goertzel measures a component's amplitude", () => {
    const x = tone(1000, 200, 8000, 0.5);
    expect(goertzel(x, 8000, 1000) / 16383).toBeCloseTo(1, 1);
    expect(goertzel(x, 8000, 1500)).toBeLessThan(100);
  });

  it("fft of an impulse is flat; rejects non-power-of-two lengths", () => {
    const re = new Float64Array(8);
    const im = new Float64Array(8);
    re[0] = 1;
    fft(re, im);
    expect(Array.from(re)).toEqual(new Array(8).fill(1));
    expect(() => fft(new Float64Array(6), new Float64Array(6))).toThrow(RangeError);
  });
});

describe("synth", () => {
  it("tone and silence have exact lengths", () => {
    expect(tone(440, 20, 8000).length).toBe(160);
    expect(silence(20, 16000).length).toBe(320);
    expect(() => tone(440, -1, 8000)).toThrow(RangeError);
  });

  it("DTMF digits carry their two Q.23 frequencies", () => {
    for (const [digit, [lo, hi]] of Object.entries(DTMF_FREQUENCIES)) {
      const x = dtmfTone(digit, 100, 8000);
      expect(goertzel(x, 8000, lo)).toBeGreaterThan(8000);
      expect(goertzel(x, 8000, hi)).toBeGreaterThan(8000);
      for (const other of [697, 770, 852, 941, 1209, 1336, 1477, 1633].filter((f) => f !== lo && f !== hi)) {
        expect(goertzel(x, 8000, other)).toBeLessThan(2000);
      }
    }
    expect(() => dtmfTone("E", 100, 8000)).toThrow(/not a DTMF digit/);
  });

  it("ringback is 440+480 Hz, 2 s on / 4 s off", () => {
    const x = ringback(7000, 8000);
    expect(rms(x.subarray(0, 16000))).toBeGreaterThan(1000);
    expect(x.subarray(16000, 48000).every((v) => v === 0)).toBe(true);
    expect(rms(x.subarray(48000))).toBeGreaterThan(1000);
    expect(goertzel(x.subarray(0, 16000), 8000, 440)).toBeGreaterThan(3000);
    expect(goertzel(x.subarray(0, 16000), 8000, 480)).toBeGreaterThan(3000);
  });

  it("speechLike is deterministic, voiced, and speech in every frame", () => {
    const a = speechLike(2000, 8000, 11);
    expect(Buffer.from(a.buffer).equals(Buffer.from(speechLike(2000, 8000, 11).buffer))).toBe(true);
    expect(Buffer.from(a.buffer).equals(Buffer.from(speechLike(2000, 8000, 12).buffer))).toBe(false);
    expect(speechFrames(a, 8000)).toEqual([{ firstFrame: 0, lastFrame: 99 }]);
    for (let k = 0; k < 100; k++) expect(isSilentFrame(a.subarray(k * 160, (k + 1) * 160))).toBe(false);
    const f0 = dominantFrequency(a, 8000, { maxHz: 4000 });
    expect(f0).toBeGreaterThan(80);
    expect(f0).toBeLessThan(3500);
    expect(rmsDbfs(a)).toBeGreaterThan(-30);
  });

  it("ttsDurationMs: ~150 words/min, SSML stripped, breaks added, minimum 300 ms", () => {
    expect(ttsDurationMs("Hello")).toBe(400);
    expect(ttsDurationMs("")).toBe(300);
    expect(ttsDurationMs("Thanks for calling, how can I help you today?")).toBe(3600);
    expect(ttsDurationMs('<speak>Hi <break time="1s"/> there <break strength="strong"/></speak>')).toBe(800 + 1000 + 750);
    expect(ttsDurationMs('<break time="30s"/>')).toBe(10_000);
    expect(ttsDurationMs('Call <say-as interpret-as="telephone">555 1234</say-as> now')).toBe(1600);
    expect(ttsDurationMs('<sub alias="World Wide Web Consortium">W3C</sub>')).toBe(1600);
  });
});

describe("format", () => {
  it("frame sizes for PCMU 8 kHz and L16 16 kHz", () => {
    expect(samplesPerFrame(PCMU_8K)).toBe(160);
    expect(samplesPerFrame(L16_16K)).toBe(320);
    expect(bytesPerFrame(PCMU_8K)).toBe(160);
    expect(bytesPerFrame(L16_16K)).toBe(640);
  });

  it("encodeFrame: 160 bytes μ-law / 640 bytes LE; short frames padded with silence; long ones refused", () => {
    const p = encodeFrame(tone(440, 20, 8000), PCMU_8K);
    expect(p.length).toBe(160);
    const l = encodeFrame(tone(440, 20, 16000), L16_16K);
    expect(l.length).toBe(640);
    expect(Array.from(decodeFrame(l, L16_16K))).toEqual(Array.from(tone(440, 20, 16000)));
    const short = encodeFrame(new Int16Array(100).fill(1000), PCMU_8K);
    expect(short.length).toBe(160);
    expect(short.subarray(100).every((b) => b === 0xff)).toBe(true);
    expect(() => encodeFrame(new Int16Array(161), PCMU_8K)).toThrow(RangeError);
  });

  it("toStreamRate resamples only when needed", () => {
    const pcm = tone(440, 100, 8000);
    const audio = { sampleRate: 8000, channels: 1, pcm, format: "pcm16", durationMs: 100 };
    expect(toStreamRate(audio, 8000)).toBe(pcm);
    expect(toStreamRate(audio, 16000).length).toBe(1600);
  });
});
