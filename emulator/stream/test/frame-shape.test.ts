import { describe, expect, it } from "vitest";
import { frameShapeProblem, MAX_FRAME_DEPTH, MAX_FRAME_VALUES } from "../frame-shape.js";

describe("frameShapeProblem: refuse what no media-stream message looks like, before JSON.parse", () => {
  it("lets every real message through, however long its payload, brackets and quotes inside strings included", () => {
    const play = JSON.stringify({ eventType: "playAudio", media: { contentType: "audio/PCMU", payload: "A".repeat(1_000_000) } });
    expect(frameShapeProblem(play)).toBeUndefined();
    expect(frameShapeProblem(JSON.stringify({ eventType: "clear" }))).toBeUndefined();
    expect(frameShapeProblem(JSON.stringify({ note: '\\"[[[[[[[[[[[[{{{{{{{{,,,,' }))).toBeUndefined();
    expect(frameShapeProblem("not json at all")).toBeUndefined(); // JSON.parse reports it, cheaply
  });

  it("refuses deep nesting and huge value counts, naming the limit", () => {
    expect(frameShapeProblem("[".repeat(500_000) + "]".repeat(500_000))).toContain(`more than ${MAX_FRAME_DEPTH} levels`);
    expect(frameShapeProblem(`[${"1,".repeat(MAX_FRAME_VALUES + 1)}1]`)).toContain(`more than ${MAX_FRAME_VALUES} JSON values`);
    expect(frameShapeProblem(`{"a":"\\\\"${"[".repeat(MAX_FRAME_DEPTH + 1)}`)).toContain("levels"); // an escaped backslash ends no string
  });
});
