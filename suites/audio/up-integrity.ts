import type { ConformanceCase } from "../types.js";
import { fidelityOutcome, upstreamFidelity } from "../audio-match.js";

export default {
  id: "audio.up.integrity",
  level: "MUST",
  title: "The model hears exactly what the caller said",
  expectation: "appended audio is the caller's audio: bit-exact for μ-law pass-through, else correlation ≥ 0.98, no dropped or reordered 20 ms frames",
  // bandwidth.md §4.3, §4.4; openai-realtime.md §5.2
  docs: ["https://dev.bandwidth.com/docs/voice/guides/mediaStreaming", "https://platform.openai.com/docs/guides/realtime"],
  outcomes: "μ-law: a contiguous bit-exact run of the inbound track; converted: correlation ≥ 0.98",
  scenarios: ["basic"],
  requires: ["bidirectional", "session"],
  check: (c) => fidelityOutcome(upstreamFidelity(c.call.streams[0], c.sessions[0])),
} satisfies ConformanceCase;
