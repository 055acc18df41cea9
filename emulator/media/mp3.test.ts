// MP3 through the real libraries (mpg123-decoder, @breezystack/lamejs) and content sniffing: what is
// encoded decodes back to the same signal, the format is told by content, and anything else is named.
import { describe, expect, it } from "vitest";
import { correlation, dominantFrequency, rms } from "./analysis.js";
import { decodeMp3, encodeMp3, Mp3Error } from "./mp3.js";
import { mpegHeader, sniffAudio } from "./sniff.js";
import { concat, silence, speechLike, tone } from "./synth.js";
import { writeWav } from "./wav.js";

const ascii = (s: string) => new Uint8Array(Buffer.from(s, "latin1"));

/** An ID3v2.3 tag with one TIT2 frame, as taggers write before the audio. */
function id3(title: string): Uint8Array {
  const frame = concatBytes(ascii("TIT2"), u32be(title.length + 1), new Uint8Array([0, 0, 0]), ascii(title));
  const n = frame.length;
  const header = new Uint8Array([0x49, 0x44, 0x33, 3, 0, 0, (n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f]);
  return concatBytes(header, frame);
}
const u32be = (n: number) => new Uint8Array([n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
const concatBytes = (...p: Uint8Array[]) => new Uint8Array(Buffer.concat(p));

describe("encodeMp3 → decodeMp3", () => {
  it("8 kHz mono speech-like audio comes back as the same signal (MPEG-2.5 layer III)", async () => {
    const pcm = speechLike(2000, 8000, 7);
    const mp3 = await encodeMp3([pcm], 8000);
    expect(sniffAudio(mp3)).toMatchObject({ kind: "mp3", version: "MPEG-2.5", sampleRate: 8000, channels: 1, offset: 0 });
    const d = await decodeMp3(mp3, "speech.mp3");
    expect(d).toMatchObject({ sampleRate: 8000, channels: 1, format: "mp3", errors: [] });
    // Encoder delay and padding add at most a few frames.
    expect(d.pcm.length).toBeGreaterThanOrEqual(pcm.length);
    expect(d.pcm.length).toBeLessThan(pcm.length + 4 * 1152);
    const c = correlation(pcm, d.pcm, 2400);
    expect(c.r).toBeGreaterThan(0.85);
    expect(c.lag).toBeGreaterThanOrEqual(0);
  });

  it("stereo is mixed down; a 44.1 kHz file is resampled to the rate asked for while decoding", async () => {
    const left = tone(440, 1000, 44100, 0.4);
    const right = tone(440, 1000, 44100, 0.4);
    const mp3 = await encodeMp3([left, right], 44100, { kbpsPerChannel: 64 });
    expect(sniffAudio(mp3)).toMatchObject({ kind: "mp3", version: "MPEG-1", sampleRate: 44100, channels: 2 });
    const d = await decodeMp3(mp3, "tone.mp3", { sampleRate: 8000 });
    expect(d.sampleRate).toBe(8000);
    expect(d.channels).toBe(2);
    expect(d.durationMs).toBeGreaterThanOrEqual(1000);
    expect(d.pcm.length).toBeGreaterThanOrEqual(8000);
    expect(d.pcm.length).toBeLessThan(8000 + 4 * 209); // 4 frames of 1152 at 44.1 kHz ≈ 4 × 209 at 8 kHz
    expect(Math.abs(dominantFrequency(d.pcm.subarray(2000, 6000), 8000) - 440)).toBeLessThan(10);
    expect(rms(d.pcm.subarray(2000, 6000))).toBeGreaterThan(0.25 * 32768 * 0.5);
  });

  it("an ID3v2 tag before the audio is skipped; silence stays silence", async () => {
    const mp3 = concatBytes(id3("Voicemail greeting"), await encodeMp3([concat(silence(500, 8000), tone(1000, 500, 8000))], 8000));
    const s = sniffAudio(mp3);
    expect(s).toMatchObject({ kind: "mp3", sampleRate: 8000 });
    expect(s.kind === "mp3" && s.offset).toBeGreaterThan(10);
    const d = await decodeMp3(mp3);
    expect(rms(d.pcm.subarray(0, 3000))).toBeLessThan(50);
    expect(rms(d.pcm.subarray(6000, 8000))).toBeGreaterThan(5000);
  });

  it("bytes with no MPEG audio are an Mp3Error naming the file", async () => {
    await expect(decodeMp3(ascii("<html><body>Not found</body></html>"), "http://app/x.mp3")).rejects.toThrow(Mp3Error);
    await expect(decodeMp3(ascii("<html>"), "http://app/x.mp3")).rejects.toThrow(/^http:\/\/app\/x\.mp3: not MP3: an HTML page starting "<html>"$/);
  });

  it("long recordings are encoded in slices: the event loop gets turns while it runs", async () => {
    let turns = 0;
    let on = true;
    const spin = () => {
      turns++;
      if (on) setImmediate(spin);
    };
    setImmediate(spin);
    const before = turns;
    await encodeMp3([speechLike(20_000, 8000, 3)], 8000);
    on = false;
    expect(turns - before).toBeGreaterThan(1);
  });

  it("decodes run one at a time on one shared decoder and do not mix", async () => {
    const a = speechLike(800, 8000, 1);
    const b = tone(700, 800, 8000);
    const [ma, mb] = await Promise.all([encodeMp3([a], 8000), encodeMp3([b], 8000)]);
    const [da, db, da2] = await Promise.all([decodeMp3(ma), decodeMp3(mb), decodeMp3(ma)]);
    expect(Buffer.from(da2.pcm.buffer).equals(Buffer.from(da.pcm.buffer))).toBe(true);
    expect(correlation(a, da.pcm, 2400).r).toBeGreaterThan(0.85);
    expect(Math.abs(dominantFrequency(db.pcm.subarray(2000, 5000), 8000) - 700)).toBeLessThan(10);
  });

  it("refuses other channel counts", async () => {
    await expect(encodeMp3([], 8000)).rejects.toThrow(RangeError);
  });
});

describe("sniffAudio", () => {
  it("RIFF/WAVE is WAV", () => {
    expect(sniffAudio(writeWav(tone(440, 100, 8000), 8000))).toEqual({ kind: "wav" });
  });

  it("a frame sync that does not chain to a next frame is not MP3", () => {
    const junk = new Uint8Array(4000).fill(0x11);
    junk.set([0xff, 0xfb, 0x90, 0x64], 0); // a valid MPEG-1 layer III header, then no next frame
    expect(sniffAudio(junk)).toMatchObject({ kind: "other", found: expect.stringMatching(/^unknown binary data starting ff fb 90 64/) });
  });

  it("MPEG layer II is named as such (Bandwidth plays layer III)", () => {
    const h = [0xff, 0xfd, 0x84, 0x04]; // MPEG-1 layer II 128 kbps 48 kHz
    const len = mpegHeader(new Uint8Array(h), 0)!.length!;
    expect(len).toBe(384);
    const b = new Uint8Array(len * 3);
    for (let i = 0; i < 3; i++) b.set(h, i * len);
    expect(sniffAudio(b)).toEqual({ kind: "other", found: "MPEG-1 layer II audio (MP2), not layer III" });
  });

  it.each([
    ["<!DOCTYPE html><html><head><title>404</title></head></html>", /^an HTML page starting "<!DOCTYPE html><html><head><title>404<\/title>/],
    ['{"error":"not found"}', /^JSON text starting "\{"error":"not found"\}"$/],
    ["OggS\u0000\u0002junk", /^Ogg data$/],
    ["ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0002ab", /^an ID3 tag \(12 bytes\) with no MPEG audio frame after it$/],
    ["", /^an empty body$/],
    ["plain\u001b[31mred text", /^unknown binary data starting 70 6c 61 69 6e 1b 5b 33$/],
  ])("%j is described", (text, want) => {
    const s = sniffAudio(ascii(text));
    expect(s.kind).toBe("other");
    expect(s.kind === "other" && s.found).toMatch(want);
  });
});
