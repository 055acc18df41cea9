import { upstreamFidelity } from "../audio-match.js";
import { integrityCase } from "./integrity.js";

export default integrityCase(
  {
    id: "audio.up.integrity",
    title: "The model hears exactly what the caller said",
    expectation: "appended audio is the caller's audio: bit-exact for μ-law pass-through, else correlation ≥ 0.98, no dropped or reordered 20 ms frames",
    // bandwidth.md §4.3, §4.4; openai-realtime.md §5.2
    docs: ["https://dev.bandwidth.com/docs/voice/guides/mediaStreaming", "https://platform.openai.com/docs/guides/realtime"],
    outcomes: "μ-law: a contiguous bit-exact run of the inbound track; converted: correlation ≥ 0.98",
  },
  upstreamFidelity,
);
