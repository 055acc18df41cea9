import { describe, expect, it } from "vitest";
import { PlayoutBuffer } from "../playout.js";

const ramp = (from: number, n: number) => Int16Array.from({ length: n }, (_, i) => from + i);

describe("PlayoutBuffer", () => {
  it("plays in order across chunk boundaries and pads the last frame with silence", () => {
    const b = new PlayoutBuffer(8000);
    b.enqueue(ramp(0, 100));
    b.enqueue(ramp(100, 150));
    expect(b.queuedMs).toBeCloseTo(250 / 8);
    const f1 = b.take(160)!;
    expect(f1.samples).toBe(160);
    expect(Array.from(f1.pcm)).toEqual(Array.from(ramp(0, 160)));
    const f2 = b.take(160)!;
    expect(f2.samples).toBe(90);
    expect(Array.from(f2.pcm.subarray(0, 90))).toEqual(Array.from(ramp(160, 90)));
    expect(f2.pcm.subarray(90).every((x) => x === 0)).toBe(true);
    expect(b.take(160)).toBeNull();
    expect(b.totalPlayed).toBe(250);
  });
  it("clear drops what has not played and reports it", () => {
    const b = new PlayoutBuffer(80000);
    b.enqueue(new Int16Array(8000)); // 1 s
    b.take(160);
    expect(b.clear()).toBe(8000 - 160);
    expect(b.queuedMs).toBe(0);
    expect(b.take(160)).toBeNull();
  });
  it("is bounded: audio beyond the cap is refused and counted", () => {
    const b = new PlayoutBuffer(1000);
    expect(b.enqueue(new Int16Array(600))).toEqual({ accepted: 600, dropped: 0, speech: false });
    expect(b.enqueue(new Int16Array(600))).toEqual({ accepted: 400, dropped: 200, speech: false });
    expect(b.enqueue(new Int16Array(10))).toEqual({ accepted: 0, dropped: 10, speech: false });
    expect(b.queuedSamples).toBe(1000);
    expect(b.totalOverflow).toBe(210);
  });
  it("plays exactly what was queued when enqueues and takes interleave (the ring wraps, grows and shrinks)", () => {
    const b = new PlayoutBuffer(2_000_000);
    const want: number[] = [];
    let next = 0;
    let r = 7;
    const rand = (n: number) => (r = (r * 1103515245 + 12345) % 2 ** 31) % n;
    for (let step = 0; step < 4000; step++) {
      if (rand(3) > 0) {
        // Mostly 20 ms deltas, now and then a long reply (the ring grows), sometimes nothing queued for a while.
        const n = rand(200) === 0 ? 3000 + rand(9000) : rand(2) ? 160 : 1 + rand(200);
        const pcm = ramp(next, n);
        next += n;
        expect(b.enqueue(pcm).accepted).toBe(n);
        want.push(...Array.from(pcm));
        pcm.fill(0); // the queue copied it
      }
      const t = b.take(160);
      if (!want.length) {
        expect(t).toBeNull();
        continue;
      }
      const got = want.splice(0, 160);
      expect(t!.samples).toBe(got.length);
      expect(Array.from(t!.pcm.subarray(0, got.length))).toEqual(got);
      expect(t!.pcm.subarray(got.length).every((x) => x === 0)).toBe(true);
      expect(b.queuedSamples).toBe(want.length);
    }
  });
  it("stays correct over many small chunks (compaction)", () => {
    const b = new PlayoutBuffer(1_000_000);
    for (let i = 0; i < 5000; i++) b.enqueue(ramp(i * 7, 7));
    let expected = 0;
    let wrong = 0;
    for (;;) {
      const t = b.take(160);
      if (!t) break;
      for (let i = 0; i < t.samples; i++) if (t.pcm[i] !== (expected++ << 16) >> 16) wrong++;
    }
    expect(expected).toBe(35000);
    expect(wrong).toBe(0);
  });
  it("rejects a non-positive cap", () => {
    expect(() => new PlayoutBuffer(0)).toThrow(RangeError);
  });
});

describe("PlayoutBuffer: queued agent speech", () => {
  it("counts up to the last sample over the speech level; trailing and streamed silence do not count", () => {
    const b = new PlayoutBuffer(80_000);
    expect(b.enqueue(new Int16Array(800)).speech).toBe(false); // 100 ms of zeros
    expect(b.queuedSpeechMs).toBe(0);
    const speech = new Int16Array(1600);
    speech.fill(2000, 0, 800); // 100 ms of speech, then 100 ms of silence
    expect(b.enqueue(speech).speech).toBe(true);
    expect(b.queuedSpeechMs).toBe(200); // the silence ahead of it plays first
    expect(b.enqueue(new Int16Array(8000).fill(30)).speech).toBe(false); // faint noise below −45 dBFS
    expect(b.queuedSpeechMs).toBe(200);
    for (let i = 0; i < 5; i++) b.take(160);
    expect(b.queuedSpeechMs).toBe(100);
    for (let i = 0; i < 5; i++) b.take(160);
    expect(b.queuedSpeechMs).toBe(0);
    expect(b.queuedMs).toBeGreaterThan(1000);
    b.enqueue(new Int16Array(160).fill(-500));
    expect(b.queuedSpeechMs).toBeGreaterThan(1000);
    b.clear();
    expect(b.queuedSpeechMs).toBe(0);
  });
});
