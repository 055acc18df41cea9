// Reading a call's recordings in slices (what <Record>, <StartRecording> and silenceTimeout read)
// gives exactly the samples of the whole recording, for PCMU and for L16 16 kHz (resampled); the
// WAV writers' block copies write the same bytes as a sample-by-sample writer.
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../clock.js";
import { CallerFeed, loadCallerAudio } from "../../media/caller-feed.js";
import { createPacingScheduler } from "../../media/scheduler.js";
import { readWav, writeWav } from "../../media/wav.js";
import { stereoWav } from "../../call/recordings.js";
import type { MediaFormat } from "../../protocol/media-stream.js";
import { Timeline } from "../../timeline.js";
import { CallAudio } from "../call-audio.js";
import { PcmRecorder } from "../recorder.js";
import { toneWav } from "./harness.js";

const cleanups: (() => unknown)[] = [];
/** Sample-for-sample equality (as bytes: large arrays compare in one call). */
const bytes = (a: Int16Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const same = (a: Int16Array, b: Int16Array) => a.length === b.length && bytes(a).equals(bytes(b));
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function recorded(format: MediaFormat, frames: number): Promise<CallAudio> {
  const clock = new ManualClock();
  const scheduler = createPacingScheduler({ clock });
  const feed = new CallerFeed(await loadCallerAudio({ wav: toneWav({ ms: 3000, leadMs: 40, tailMs: 40, rate: format.sampleRate }) }, format), format, { tailSilenceMs: 0 });
  const audio = new CallAudio({ callId: "c-1", caller: feed, format, scheduler, timeline: new Timeline(clock), clock });
  cleanups.push(() => (audio.stop(), scheduler.close()));
  audio.start();
  for (let i = 0; i < frames; i++) await clock.advanceUs(20_000);
  // The caller's carrier prompt on the outbound track, so both recordings hold sound.
  void audio.play(Int16Array.from({ length: 8000 }, (_, i) => (i * 37) % 9000));
  for (let i = 0; i < 60; i++) await clock.advanceUs(20_000);
  return audio;
}

describe("recording slices", () => {
  for (const format of [{ encoding: "PCMU", sampleRate: 8000 }, { encoding: "L16", sampleRate: 16000 }] as MediaFormat[]) {
    it(`${format.encoding} ${format.sampleRate}: lengths and every slice equal the whole recording's`, async () => {
      const audio = await recorded(format, 120);
      const inbound = audio.inboundPcm();
      const outbound = audio.outboundPcm();
      expect(inbound.some((v) => v !== 0)).toBe(true);
      expect(audio.inboundLength()).toBe(inbound.length);
      expect(audio.outboundLength()).toBe(outbound.length);
      const n = inbound.length;
      // Edges, block-spanning slices, slices near the start (less than one margin of context), the
      // tail (silenceTimeout), empty and out-of-range ones.
      const cuts: [number, number][] = [[0, n], [0, 1], [1, 2], [100, 700], [511, 513], [513, 6000], [n - 800, n], [n - 1, n], [n, n], [n - 5, n + 100], [300, 200], [n + 10, n + 20]];
      for (const [a, b] of cuts) {
        expect(same(audio.inboundRange(a, b), inbound.slice(a, b)), `inbound [${a}, ${b})`).toBe(true);
        expect(same(audio.outboundRange(a, b), outbound.slice(a, b)), `outbound [${a}, ${b})`).toBe(true);
      }
    });
  }

  it("PcmRecorder.range copies across blocks and clamps", () => {
    const r = new PcmRecorder(200_000);
    const all = Int16Array.from({ length: 150_000 }, (_, i) => (i * 7) & 0x7fff);
    for (let i = 0; i < all.length; i += 160) r.append(all.subarray(i, i + 160));
    for (const [a, b] of [[0, 150_000], [65_530, 65_540], [65_536, 131_072], [140_000, 160_000], [-5, 3], [10, 5]]) {
      expect(same(r.range(a, b), all.slice(Math.max(0, a), b)), `[${a}, ${b})`).toBe(true);
    }
  });
});

/**
 * The bytes the writers wrote before their block copies: the (unchanged) 44-byte header, then one
 * sample at a time through a DataView, little-endian.
 */
function sampleBySample(written: Uint8Array, pcm: Int16Array): Uint8Array {
  const out = new Uint8Array(44 + pcm.length * 2);
  out.set(written.subarray(0, 44));
  const dv = new DataView(out.buffer);
  for (let i = 0; i < pcm.length; i++) dv.setInt16(44 + 2 * i, pcm[i], true);
  return out;
}
const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe("WAV writers write in bulk, byte for byte as before", () => {
  const pcm = Int16Array.from({ length: 48_001 }, (_, i) => ((i * 2654435761) >>> 16) - 32768);
  it("mono PCM16 (also from a view into a larger buffer), read back the same", async () => {
    for (const [p, rate] of [[pcm, 8000], [pcm.subarray(3, 1003), 16000], [new Int16Array(0), 8000]] as const) {
      const wav = writeWav(p, rate);
      expect(sameBytes(wav, sampleBySample(wav, p))).toBe(true);
      const back = await readWav(wav);
      expect(back.sampleRate).toBe(rate);
      expect(same(back.pcm, p)).toBe(true);
    }
  });
  it("stereo PCM16", async () => {
    const interleaved = pcm.subarray(1, 40_001);
    const wav = stereoWav(interleaved, 8000);
    expect(sameBytes(wav, sampleBySample(wav, interleaved))).toBe(true);
    const back = await readWav(wav);
    expect(back.channels).toBe(2);
    expect(new DataView(wav.buffer).getUint32(40, true)).toBe(80_000);
  });
});
