import { describe, expect, it } from "vitest";
import { ByteRecorder, PcmRecorder } from "../recorder.js";

describe("recorders", () => {
  it("keep everything in order across block boundaries, copying the input", () => {
    const r = new PcmRecorder(1_000_000);
    const frame = new Int16Array(160);
    let v = 0;
    for (let i = 0; i < 1000; i++) {
      for (let k = 0; k < 160; k++) frame[k] = v++ & 0x7fff;
      r.append(frame); // the same buffer each time: the recorder must copy
    }
    const all = r.toArray();
    expect(all.length).toBe(160_000);
    let wrong = 0;
    for (let i = 0; i < all.length; i++) if (all[i] !== (i & 0x7fff)) wrong++;
    expect(wrong).toBe(0);
  });
  it("are capped and count what they refused", () => {
    const r = new ByteRecorder(300);
    expect(r.append(new Uint8Array(200).fill(1))).toBe(200);
    expect(r.append(new Uint8Array(200).fill(2))).toBe(100);
    expect(r.append(new Uint8Array(5))).toBe(0);
    expect(r.length).toBe(300);
    expect(r.truncated).toBe(105);
    const b = r.toArray();
    expect(b[199]).toBe(1);
    expect(b[200]).toBe(2);
  });
  it("empty recording", () => {
    expect(new PcmRecorder(10).toArray().length).toBe(0);
  });
});

describe("a recorder that keeps only while held (recordAudio none)", () => {
  it("counts every element, keeps the held spans, reads the rest as silence and lets go at the last release", () => {
    const r = new PcmRecorder(1_000_000, false);
    const frame = (v: number) => new Int16Array(160).fill(v);
    for (let i = 1; i <= 10; i++) r.append(frame(i)); // not held: counted, not kept
    expect(r.length).toBe(1600);
    const release = r.hold();
    const second = r.hold();
    for (let i = 11; i <= 20; i++) r.append(frame(i));
    release();
    release(); // idempotent: the second hold still keeps
    r.append(frame(21));
    const span = r.range(1440, 3360);
    expect([span[0], span[159], span[160], span[1759], span[1760], span[1919]]).toEqual([0, 0, 11, 20, 21, 21]);
    expect(r.toArray().length).toBe(3360);
    second();
    r.append(frame(22));
    expect(r.length).toBe(3520);
    expect(r.range(0, 3520).every((v) => v === 0)).toBe(true);
  });
  it("a recorder that keeps everything ignores holds", () => {
    const r = new PcmRecorder(1000);
    r.hold()();
    r.append(new Int16Array(10).fill(3));
    expect(Array.from(r.toArray())).toEqual(new Array(10).fill(3));
  });
});
