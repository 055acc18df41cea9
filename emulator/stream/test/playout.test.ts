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
    expect(b.enqueue(new Int16Array(600))).toEqual({ accepted: 600, dropped: 0 });
    expect(b.enqueue(new Int16Array(600))).toEqual({ accepted: 400, dropped: 200 });
    expect(b.enqueue(new Int16Array(10))).toEqual({ accepted: 0, dropped: 10 });
    expect(b.queuedSamples).toBe(1000);
    expect(b.totalOverflow).toBe(210);
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
