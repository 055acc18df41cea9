// The speech-boundary arithmetic (boundary.ts) and the VAD's sample-accurate end (realtime/vad.ts),
// exhaustively over where speech ends inside a 20 ms frame. Pure: no clock, no sockets.

import { describe, expect, it } from "vitest";
import { matchBoundary, type CarrierBoundary } from "../boundary.js";
import { EnergyVad, DEFAULT_VAD, type VadEvent } from "../../realtime/vad.js";
import { speechEndSample, SPEECH_LEVEL } from "../../media/speech-level.js";

/** Send instants 20 ms apart plus a per-frame wobble, from frame `from`. */
function carrier(frame: number, endOffsetMs: number, from = frame - 1, n = 40): CarrierBoundary {
  return { frame, frameMs: 20, endOffsetMs, fromFrame: from, sentUs: Array.from({ length: n }, (_, i) => (from + i) * 20_000 + ((from + i) % 5) * 37) };
}

const OFFSETS = Array.from({ length: 160 }, (_, i) => (i + 1) / 8); // (0, 20] ms in 1/8 ms (one 8 kHz sample)

describe("matchBoundary", () => {
  it("the same sample, whatever whole-frame shift lies between stream and input timeline: C_end is the carrier's frame", () => {
    for (const off of OFFSETS) {
      for (const dropped of [0, 1, 7, 250]) {
        const c = carrier(300, off);
        const endMs = 300 * 20 + off - dropped * 20;
        const m = matchBoundary(c, { endMs, endAppendToMs: Math.ceil(endMs / 20) * 20 }, 4);
        expect(m).toMatchObject({ ok: true, frame: 300, deltaMs: 0, cEndUs: c.sentUs[1] });
      }
    }
  });

  it("a boundary moved by up to the tolerance crosses a frame edge exactly when it should", () => {
    for (const off of OFFSETS) {
      for (const d of [-3.875, -1, -0.125, 0.125, 1, 3.875]) {
        const c = carrier(300, off);
        const m = matchBoundary(c, { endMs: 300 * 20 + off + d - 40, endAppendToMs: 0 }, 4);
        const pos = off + d; // where the stub's last speech sample ends, relative to the carrier frame's start
        const want = pos > 20 ? 301 : pos <= 0 ? 299 : 300;
        expect(m.ok).toBe(true);
        if (!m.ok) continue;
        expect(m.frame).toBe(want);
        expect(m.cEndUs).toBe(c.sentUs[want - 299]);
        expect(m.deltaMs).toBeCloseTo(d, 9);
      }
    }
  });

  it("ends further apart than the tolerance are not the same sample: no C_end, a reason", () => {
    const m = matchBoundary(carrier(300, 10), { endMs: 6000 + 10 + 4.5, endAppendToMs: 6020 }, 4);
    expect(m.ok).toBe(false);
    if (!m.ok) expect(m.reason).toMatch(/4\.500 ms from the carrier's .*do not name the same sample/);
  });

  it("a frame without a recorded send instant is an error, not a guess", () => {
    const m = matchBoundary(carrier(300, 19.5, 300, 1), { endMs: 6021, endAppendToMs: 6040 }, 4);
    expect(m.ok).toBe(false);
  });

  it("the hangover's end maps to the carrier frame that carried it", () => {
    const c = carrier(300, 5);
    const m = matchBoundary(c, { endMs: 6005, endAppendToMs: 6020, hangAppendToMs: 6220 }, 4);
    expect(m).toMatchObject({ ok: true, frame: 300, hangFrame: 310, cHangUs: c.sentUs[11] });
  });
});

/** 100 ms of silence, a loud square wave up to `endSample`, then 700 ms of silence, at `rate`. */
function signal(rate: number, endSample: number): Int16Array {
  const pcm = new Int16Array(endSample + (rate * 700) / 1000);
  for (let i = (rate * 100) / 1000; i < endSample; i++) pcm[i] = i % 16 < 8 ? 5000 : -5000;
  return pcm;
}

function run(pcm: Int16Array, rate: number, appendSamples: number, silenceDurationMs: number): { events: VadEvent[]; spans: { from: number; to: number }[] } {
  const vad = new EnergyVad(DEFAULT_VAD);
  const events: VadEvent[] = [];
  const spans: { from: number; to: number }[] = [];
  for (let a = 0, k = 0; a < pcm.length; a += appendSamples, k++) {
    const part = pcm.subarray(a, Math.min(pcm.length, a + appendSamples));
    spans.push({ from: (a * 1000) / rate, to: ((a + part.length) * 1000) / rate });
    events.push(...vad.push(part, rate, (a * 1000) / rate, { prefixPaddingMs: 300, silenceDurationMs }, k));
  }
  return { events, spans };
}

describe("EnergyVad: the end of speech is sample-accurate", () => {
  it.each([
    [8000, 160, 200],
    [8000, 400, 200],
    [8000, 57, 500],
    [24000, 480, 200],
    [24000, 1000, 210],
  ])("rate %i Hz, appends of %i samples, hangover %i ms: every end offset inside a frame", (rate, appendSamples, silence) => {
    const frame = (rate * 20) / 1000;
    for (let o = 1; o <= frame; o += rate === 8000 ? 1 : 3) {
      const end = (rate * 300) / 1000 + o;
      const pcm = signal(rate, end);
      expect(speechEndSample(pcm, SPEECH_LEVEL)).toBe(end);
      const { events, spans } = run(pcm, rate, appendSamples, silence);
      expect(events.map((e) => e.kind)).toEqual(["onset", "offset"]);
      const off = events[1] as Extract<VadEvent, { kind: "offset" }>;
      expect(off.endMs).toBeCloseTo((end * 1000) / rate, 9);
      expect(off.stopMs).toBeCloseTo((end * 1000) / rate + silence, 9);
      // S_end: the append holding the last speech sample; the stop: the append in which the input reached endMs + silence.
      const holds = (ms: number) => spans.findIndex((s) => s.from < ms - 1e-9 && ms <= s.to + 1e-9);
      expect(off.endTag).toBe(holds(off.endMs));
      expect(off.stopPush.tag).toBe(holds(off.stopMs));
      expect(off.endPush.fromMs).toBeCloseTo(spans[off.endTag].from, 9);
      expect(off.endPush.toMs).toBeCloseTo(spans[off.endTag].to, 9);
    }
  });
});
