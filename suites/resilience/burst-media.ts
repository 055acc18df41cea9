import type { ConformanceCase } from "../types.js";
import { skipped } from "../observe.js";
import { declaredFormat, fidelityOutcome, upstreamFidelity } from "../audio-match.js";

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
  check({ call, sessions: [session] }) {
    if (declaredFormat(session.inputFormat) !== "pcmu") return skipped(`declared input ${session.inputFormat}: only μ-law pass-through is compared frame by frame`);
    // The burst changes only the pacing: the bar is audio.up.integrity's.
    return fidelityOutcome(upstreamFidelity(call.streams[0], session));
  },
} satisfies ConformanceCase;
