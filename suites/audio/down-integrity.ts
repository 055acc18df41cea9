import type { ConformanceCase } from "../types.js";
import { downstreamFidelity, fidelityOutcome } from "../audio-match.js";

export default {
  id: "audio.down.integrity",
  level: "MUST",
  title: "The caller hears exactly what the model said",
  expectation: "the audio the carrier receives equals the model's reply audio: no gaps, reordering or duplication",
  // bandwidth.md §4.6; openai-realtime.md §5.3
  docs: ["https://dev.bandwidth.com/docs/voice/guides/mediaStreaming", "https://platform.openai.com/docs/guides/realtime"],
  outcomes: "bit-exact μ-law pass-through, or correlation ≥ 0.98 after conversion",
  scenarios: ["basic"],
  requires: ["bidirectional", "session"],
  check: (c) => fidelityOutcome(downstreamFidelity(c.call.streams[0], c.sessions[0])),
} satisfies ConformanceCase;
