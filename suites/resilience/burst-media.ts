import type { ConformanceCase } from "../types.js";
import { encodeMulaw } from "../../emulator/media/mulaw.js";
import { fail, pass } from "../observe.js";
import { declaredFormat, matchMulaw } from "../audio-match.js";

export default {
  id: "resilience.burst-media",
  level: "SHOULD",
  title: "A burst of frames is relayed in order without loss",
  expectation: "1 s of media frames delivered at once (network jitter) is handled in order without loss",
  // bandwidth.md §4.4 (pacing and bundling UNCONFIRMED: bridges must not assume perfect pacing)
  docs: ["https://dev.bandwidth.com/docs/voice/guides/mediaStreaming"],
  outcomes: "the appended audio is still a contiguous, in-order copy of the inbound track",
  scenarios: ["burst-media"],
  requires: ["bidirectional", "session"],
  check(c) {
    const s = c.sessions[0];
    if (declaredFormat(s.inputFormat) !== "pcmu") return { verdict: "skipped", message: `declared input ${s.inputFormat}: only μ-law pass-through is compared frame by frame` };
    const rec = c.call.streams[0];
    const m = matchMulaw(rec.inboundPcmu ?? encodeMulaw(rec.inboundPcm), s.appendedAudio());
    if (m.exact) return pass(`${m.frames} frames in order`);
    return fail("every frame, in order", `${m.mismatchedFrames}/${m.frames} frames differ; dropped ${m.dropped}, duplicated ${m.duplicated}, reordered ${m.reordered}`);
  },
} satisfies ConformanceCase;
