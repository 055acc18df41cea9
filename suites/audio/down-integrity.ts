import { downstreamFidelity } from "../audio-match.js";
import { integrityCase } from "./integrity.js";

export default integrityCase(
  {
    id: "audio.down.integrity",
    title: "The caller hears exactly what the model said",
    expectation: "the audio the carrier receives equals the model's reply audio: no gaps, reordering or duplication",
    // bandwidth.md §4.6; openai-realtime.md §5.3
    docs: ["https://dev.bandwidth.com/docs/voice/guides/mediaStreaming", "https://platform.openai.com/docs/guides/realtime"],
    outcomes: "bit-exact μ-law pass-through, or correlation ≥ 0.98 after conversion",
  },
  downstreamFidelity,
);
