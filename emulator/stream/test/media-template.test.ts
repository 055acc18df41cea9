// The `media` frame template (protocol/media-stream-codec.ts) and the caller's wire frames
// (media/wire-frames.ts): the same bytes as serialising the frame object, computed once.
import { describe, expect, it } from "vitest";
import { encodeMedia, fillMediaFrame, mediaFrameTemplate } from "../../protocol/media-stream-codec.js";
import type { MediaFormat, TrackName } from "../../protocol/media-stream.js";
import { encodeFrame } from "../../media/format.js";
import { decodeMulaw, encodeMulaw } from "../../media/mulaw.js";
import { encodeWireFrame, silentWireFrame, wireFramesOf } from "../../media/wire-frames.js";

const PCMU: MediaFormat = { encoding: "PCMU", sampleRate: 8000 };
const L16: MediaFormat = { encoding: "L16", sampleRate: 16000 };

/** Noise-like audio with every sample value class (silence, quiet, loud, clipped). */
function audio(n: number, seed = 1): Int16Array {
  const out = new Int16Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = i % 97 < 10 ? 0 : ((x >>> 8) & 0xffff) - 32768;
  }
  return out;
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");

describe("media frame template", () => {
  for (const eventTypeLast of [true, false]) {
    for (const track of ["inbound", "outbound"] as TrackName[]) {
      it(`equals JSON.stringify of the frame object (${track}, eventType ${eventTypeLast ? "last" : "first"})`, () => {
        const tpl = mediaFrameTemplate(track, { eventTypeLast });
        for (const [i, pcm] of [new Int16Array(160), audio(160, 7), audio(160, 99)].entries()) {
          const payload = b64(encodeMulaw(pcm));
          for (const seq of [1, 9, 10, 12345 + i, 4294967295]) {
            const sequenceNumber = String(seq);
            const object = eventTypeLast ? { track, payload, sequenceNumber, eventType: "media" } : { eventType: "media", track, payload, sequenceNumber };
            const text = fillMediaFrame(tpl, payload, sequenceNumber);
            expect(text).toBe(JSON.stringify(object));
            expect(encodeMedia({ eventType: "media", track, payload, sequenceNumber }, { eventTypeLast })).toBe(text);
          }
        }
      });
    }
  }
  it("encodeMedia still escapes what needs escaping (one source for the shape)", () => {
    const text = encodeMedia({ eventType: "media", track: "inbound", payload: 'a"b\\c', sequenceNumber: "1" }, { eventTypeLast: false });
    expect(JSON.parse(text)).toEqual({ eventType: "media", track: "inbound", payload: 'a"b\\c', sequenceNumber: "1" });
  });
});

describe("wire frames", () => {
  it("PCMU: the bytes, payload and decoded samples a per-tick encode gives", () => {
    const pcm = audio(160 * 7 + 33);
    const w = wireFramesOf(pcm, PCMU);
    expect(w.length).toBe(8);
    for (let i = 0; i < w.length; i++) {
      const frame = new Int16Array(160);
      frame.set(pcm.subarray(i * 160, i * 160 + 160));
      const bytes = encodeMulaw(frame);
      const f = w.frame(i);
      expect(Buffer.from(f.bytes).equals(Buffer.from(bytes))).toBe(true);
      expect(f.payload).toBe(b64(bytes));
      expect([...f.pcm]).toEqual([...decodeMulaw(bytes)]);
      expect(w.frame(i)).toBe(f); // encoded once
    }
    expect(wireFramesOf(pcm, PCMU)).toBe(w); // kept with the audio
  });
  it("L16: little-endian bytes of the (padded) frame, samples unchanged", () => {
    const pcm = audio(320 * 3 + 5, 3);
    const w = wireFramesOf(pcm, L16);
    expect(w).not.toBe(wireFramesOf(pcm, PCMU));
    for (let i = 0; i < w.length; i++) {
      const frame = new Int16Array(320);
      frame.set(pcm.subarray(i * 320, i * 320 + 320));
      const f = w.frame(i);
      expect(f.payload).toBe(b64(encodeFrame(frame, L16)));
      expect([...f.pcm]).toEqual([...frame]);
    }
  });
  it("silence: one frame per format, μ-law 0xFF and L16 zeros", () => {
    expect(silentWireFrame(PCMU)).toBe(silentWireFrame({ encoding: "PCMU", sampleRate: 8000 }));
    expect(silentWireFrame(PCMU).payload).toBe(Buffer.alloc(160, 0xff).toString("base64"));
    expect(silentWireFrame(L16).payload).toBe(Buffer.alloc(640).toString("base64"));
    expect(silentWireFrame(PCMU).pcm.every((v) => v === 0)).toBe(true);
    expect(encodeWireFrame(new Int16Array(0), PCMU).bytes.length).toBe(160);
  });
});
