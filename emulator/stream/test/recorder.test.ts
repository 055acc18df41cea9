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
    const all = r.toInt16Array();
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
    const b = r.toUint8Array();
    expect(b[199]).toBe(1);
    expect(b[200]).toBe(2);
  });
  it("empty recording", () => {
    expect(new PcmRecorder(10).toInt16Array().length).toBe(0);
  });
});
