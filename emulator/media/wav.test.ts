// WAV reading of every fixture format, write → read round trips, and a WavError for each broken file.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dominantFrequency, rms } from "./analysis.js";
import { decodeMulaw, encodeMulaw } from "./mulaw.js";
import { tone } from "./synth.js";
import { MAX_WAV_BYTES, readWav, readWavFile, WavError, writeWav } from "./wav.js";

const FIX = join(import.meta.dirname, "../../fixtures/audio");
const tmp = mkdtempSync(join(tmpdir(), "bwemu-wav-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("readWavFile: every fixture format", () => {
  const cases: [string, string, number, number, number][] = [
    // file, format, rate, channels, expected rms (½-scale sine → 0.5·32767/√2 ≈ 11585)
    ["format-mulaw-8k.wav", "mulaw", 8000, 1, 11585],
    ["format-alaw-8k.wav", "alaw", 8000, 1, 11585],
    ["format-pcm8-8k.wav", "pcm8", 8000, 1, 11585],
    ["format-pcm16-16k.wav", "pcm16", 16000, 1, 11585],
    ["format-extensible-pcm16-16k.wav", "pcm16", 16000, 1, 11585],
    ["format-pcm24-48k-stereo.wav", "pcm24", 48000, 2, 11585 / 2], // right channel silent: mixdown halves
    ["format-float32-44k1.wav", "float32", 44100, 1, 11585],
  ];
  for (const [file, format, rate, channels, level] of cases) {
    it(`${file}: ${format} ${rate} Hz ${channels} ch, 500 ms of 440 Hz`, async () => {
      const a = await readWavFile(join(FIX, file));
      expect(a.format).toBe(format);
      expect(a.sampleRate).toBe(rate);
      expect(a.channels).toBe(channels);
      expect(a.durationMs).toBeCloseTo(500, 0);
      expect(a.pcm.length).toBe(Math.round(rate / 2));
      expect(Math.abs(dominantFrequency(a.pcm, rate) - 440)).toBeLessThan(1);
      expect(rms(a.pcm) / level).toBeGreaterThan(0.98);
      expect(rms(a.pcm) / level).toBeLessThan(1.02);
    });
  }

  it("speech fixtures decode with the annotated speech frames", async () => {
    const a = await readWavFile(join(FIX, "speech-order.8k-mulaw.wav"));
    expect(a.format).toBe("mulaw");
    // 200 ms of digital silence pad both ends (the resampler's ringing reaches ≈ 3 ms into it)
    expect(a.pcm.subarray(0, 1500).every((v) => v === 0)).toBe(true);
    expect(a.pcm.subarray(a.pcm.length - 1500).every((v) => v === 0)).toBe(true);
    expect(a.pcm.subarray(1600, 1700).some((v) => Math.abs(v) > 64)).toBe(true);
  });
});

describe("readWav: exact sample values", () => {
  it("16-bit PCM is bit-exact, including the extremes", async () => {
    const pcm = Int16Array.of(0, 1, -1, 32767, -32768, 12345, -12345);
    const back = await readWav(writeWav(pcm, 8000));
    expect(Array.from(back.pcm)).toEqual(Array.from(pcm));
  });

  it("24-bit extremes map to the 16-bit extremes (incl. wav-decoder's 0x800000 quirk)", async () => {
    const data = new Uint8Array([0xff, 0xff, 0x7f, 0x00, 0x00, 0x80, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00]);
    const file = wavOf(1, 1, 8000, 24, data);
    const a = await readWav(file);
    expect(Array.from(a.pcm)).toEqual([32767, -32768, 1, 0]);
  });

  it("8-bit unsigned: 0x80 is silence, 0x00 / 0xFF the extremes", async () => {
    const a = await readWav(wavOf(1, 1, 8000, 8, new Uint8Array([0x80, 0x00, 0xff, 0x81])));
    expect(Array.from(a.pcm)).toEqual([0, -32768, 32512, 256]);
  });

  it("float beyond ±1 clips", async () => {
    const d = new Uint8Array(12);
    const dv = new DataView(d.buffer);
    dv.setFloat32(0, 1.5, true);
    dv.setFloat32(4, -2, true);
    dv.setFloat32(8, 0.25, true);
    const a = await readWav(wavOf(3, 1, 8000, 32, d));
    expect(Array.from(a.pcm)).toEqual([32767, -32768, 8192]);
  });

  it("a data chunk size of 0xFFFFFFFF (streaming writers) means 'to end of file'", async () => {
    const f = writeWav(tone(440, 20, 8000), 8000);
    new DataView(f.buffer).setUint32(40, 0xffffffff, true);
    expect((await readWav(f)).pcm.length).toBe(160);
  });

  it("a trailing partial sample frame is dropped, not an error", async () => {
    const a = await readWav(wavOf(1, 2, 8000, 16, new Uint8Array(10)));
    expect(a.pcm.length).toBe(2);
  });
});

describe("writeWav → readWav round trip", () => {
  it("pcm16 at several rates", async () => {
    for (const rate of [8000, 16000, 24000]) {
      const pcm = tone(1000, 100, rate);
      const back = await readWav(writeWav(pcm, rate));
      expect(back.sampleRate).toBe(rate);
      expect(Buffer.from(back.pcm.buffer).equals(Buffer.from(pcm.buffer))).toBe(true);
    }
  });

  it("mulaw keeps the μ-law bytes bit-exact (odd length: padded chunk)", async () => {
    const bytes = encodeMulaw(tone(440, 20.125, 8000)); // 161 samples
    const f = writeWav(decodeMulaw(bytes), 8000, { encoding: "mulaw" });
    expect(f.length % 2).toBe(0);
    const back = await readWav(f, "odd.wav");
    expect(back.format).toBe("mulaw");
    expect(Buffer.from(encodeMulaw(back.pcm)).equals(Buffer.from(bytes))).toBe(true);
  });

  it("alaw", async () => {
    const back = await readWav(writeWav(tone(440, 50, 8000), 8000, { encoding: "alaw" }));
    expect(back.format).toBe("alaw");
    expect(Math.abs(dominantFrequency(back.pcm, 8000) - 440)).toBeLessThan(2);
  });

  it("readWavFile reads what was written to disk", async () => {
    const p = join(tmp, "x.wav");
    writeFileSync(p, writeWav(tone(440, 40, 16000), 16000));
    expect((await readWavFile(p)).durationMs).toBe(40);
  });
});

describe("WavError for broken input", () => {
  const broken: [string, RegExp][] = [
    ["broken-truncated.wav", /truncated: data chunk declares 1600 bytes, only 1000 present/],
    ["broken-not-riff.wav", /not a RIFF\/WAVE file: starts with an MP3 file \(ID3 tag\)/],
    ["broken-unsupported-codec.wav", /unsupported format code 2 \(0x0002\) \(Microsoft ADPCM\)/],
    ["broken-no-data.wav", /data chunk missing/],
    ["broken-zero-channels.wav", /zero channels/],
  ];
  for (const [file, reason] of broken) {
    it(`${file}: ${reason.source}`, async () => {
      const path = join(FIX, file);
      const err = await readWavFile(path).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WavError);
      expect((err as WavError).file).toBe(path);
      expect((err as WavError).message).toMatch(reason);
      expect((err as WavError).message.startsWith(path)).toBe(true);
    });
  }

  it("truncated data decodes what is there when lenient", async () => {
    const a = await readWavFile(join(FIX, "broken-truncated.wav"), { lenient: true });
    expect(a.pcm.length).toBe(500);
  });

  it("missing file, directory, empty and tiny inputs", async () => {
    await expect(readWavFile(join(tmp, "nope.wav"))).rejects.toThrow(/nope\.wav: cannot read file \(ENOENT\)/);
    await expect(readWavFile(tmp)).rejects.toThrow(/not a regular file/);
    await expect(readWav(new Uint8Array(0), "empty.wav")).rejects.toThrow(/empty\.wav: too short to be a WAV file \(0 bytes\)/);
  });

  it("other container problems are named", async () => {
    const t = new TextEncoder();
    await expect(readWav(t.encode("RIFF\x04\x00\x00\x00AVI LIST"), "a.avi")).rejects.toThrow(/RIFF file of type "AVI ", not WAVE/);
    await expect(readWav(t.encode("RF64\xff\xff\xff\xffWAVE"), "big.wav")).rejects.toThrow(/RF64/);
    await expect(readWav(wavOf(1, 1, 8000, 12, new Uint8Array(4)))).rejects.toThrow(/unsupported PCM bit depth 12/);
    await expect(readWav(wavOf(7, 1, 8000, 16, new Uint8Array(4)))).rejects.toThrow(/μ-law with 16 bits/);
    await expect(readWav(wavOf(1, 1, 0, 16, new Uint8Array(4)))).rejects.toThrow(/sample rate 0 Hz/);
    const badAlign = wavOf(1, 2, 8000, 16, new Uint8Array(8));
    new DataView(badAlign.buffer).setUint16(32, 2, true);
    await expect(readWav(badAlign)).rejects.toThrow(/blockAlign 2 does not match 2 channel\(s\) × 16 bits \(4\)/);
    const noFmt = new Uint8Array([...t.encode("RIFF\x0c\x00\x00\x00WAVEdata"), 0, 0, 0, 0]);
    await expect(readWav(noFmt)).rejects.toThrow(/fmt chunk missing/);
    const cut = writeWav(tone(440, 20, 8000), 8000).subarray(0, 30);
    await expect(readWav(cut)).rejects.toThrow(/truncated: fmt chunk declares 16 bytes, 10 present/);
  });

  it("refuses input over 250 MB without decoding it", async () => {
    const huge = { length: MAX_WAV_BYTES + 1, byteLength: MAX_WAV_BYTES + 1 } as unknown as Uint8Array;
    await expect(readWav(huge, "huge.wav")).rejects.toThrow(/huge\.wav: 250000001 bytes is larger than the 250 MB limit/);
  });
});

/** A minimal WAV with the given fmt fields and data bytes. */
function wavOf(code: number, channels: number, rate: number, bits: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(44 + data.length + (data.length & 1));
  const dv = new DataView(out.buffer);
  const ascii = (at: number, s: string) => [...s].forEach((c, i) => (out[at + i] = c.charCodeAt(0)));
  ascii(0, "RIFF");
  dv.setUint32(4, out.length - 8, true);
  ascii(8, "WAVEfmt ");
  dv.setUint32(16, 16, true);
  dv.setUint16(20, code, true);
  dv.setUint16(22, channels, true);
  dv.setUint32(24, rate, true);
  dv.setUint32(28, rate * channels * Math.ceil(bits / 8), true);
  dv.setUint16(32, channels * Math.ceil(bits / 8), true);
  dv.setUint16(34, bits, true);
  ascii(36, "data");
  dv.setUint32(40, data.length, true);
  out.set(data, 44);
  return out;
}
