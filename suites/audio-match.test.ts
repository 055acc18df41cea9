import { describe, expect, it } from "vitest";
import { declaredFormat, downstreamFidelity, matchMulaw } from "./audio-match.js";

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
  it.each([
    ["audio/pcmu", "pcmu"],
    ["g711_ulaw", "pcmu"],
    ["pcm16", "pcm16-24k"],
    ["audio/pcm", "pcm16-24k"],
    [undefined, "unknown"],
  ] as const)("reads %s (GA and beta spellings) as %s", (declared, want) => expect(declaredFormat(declared)).toBe(want));
});

describe("downstreamFidelity (audio.down.integrity)", () => {
  const said = cat(frame(1), frame(2), frame(3), frame(4));
  const model = (sent: Uint8Array) => ({ sentAudio: () => sent, outputFormat: "audio/pcmu" });
  const carrier = (received: Uint8Array) => ({ playedPcm: new Int16Array(0), receivedPcmu: received });
  it("is faithful when the carrier got the model's μ-law bit-exact, at most its last frame missing", () => {
    expect(downstreamFidelity(carrier(cat(frame(1), frame(2), frame(3))), model(said))).toMatchObject({ faithful: true, metrics: { frames: 3 } });
  });
  it("says how much arrived when a bit-exact stream stops early", () => {
    expect(downstreamFidelity(carrier(cat(frame(1), frame(2))), model(said))).toMatchObject({ faithful: false, observed: "320 of 640 bytes arrived" });
  });
  it("names dropped frames", () => {
    expect(downstreamFidelity(carrier(cat(frame(1), frame(3), frame(4))), model(said)).observed).toMatch(/dropped 1/);
  });
  it("fails when the model sent nothing", () => {
    expect(downstreamFidelity(carrier(said), model(new Uint8Array(0)))).toMatchObject({ faithful: false, observed: "the model sent no audio" });
  });
});
