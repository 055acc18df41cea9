import { describe, expect, it } from "vitest";
import { matchMulaw, declaredFormat } from "./audio-match.js";

// Pseudo-random frames (never 0xff), so no frame is a shifted copy of another.
const frame = (seed: number) => {
  let x = seed * 2654435761 >>> 0 || 1;
  return Uint8Array.from({ length: 160 }, () => ((x = (x * 1103515245 + 12345) >>> 0), (x >>> 16) % 255));
};
const cat = (...fs: Uint8Array[]) => Uint8Array.from(fs.flatMap((f) => [...f]));
const silence = new Uint8Array(160).fill(0xff);

describe("matchMulaw", () => {
  const sent = cat(silence, frame(1), frame(2), frame(3), frame(4), frame(5), silence);
  it("accepts a contiguous run that starts late and ends early", () => {
    const m = matchMulaw(sent, cat(frame(2), frame(3), frame(4)));
    expect(m).toMatchObject({ exact: true, offset: 320, mismatchedFrames: 0, frames: 3 });
  });
  it("counts a dropped frame", () => {
    const m = matchMulaw(sent, cat(frame(1), frame(2), frame(4), frame(5)));
    expect(m.exact).toBe(false);
    expect(m.dropped).toBe(1);
  });
  it("counts reordered and duplicated frames", () => {
    expect(matchMulaw(sent, cat(frame(1), frame(3), frame(2), frame(4))).reordered).toBe(1);
    expect(matchMulaw(sent, cat(frame(1), frame(2), frame(2), frame(3))).duplicated).toBe(1);
  });
  it("finds nothing in foreign audio", () => {
    expect(matchMulaw(sent, cat(frame(9), frame(8))).offset).toBe(-1);
  });
});

describe("declaredFormat", () => {
  it("reads GA and beta spellings", () => {
    expect(declaredFormat("audio/pcmu")).toBe("pcmu");
    expect(declaredFormat("g711_ulaw")).toBe("pcmu");
    expect(declaredFormat("pcm16")).toBe("pcm16-24k");
    expect(declaredFormat("audio/pcm")).toBe("pcm16-24k");
    expect(declaredFormat(undefined)).toBe("unknown");
  });
});
