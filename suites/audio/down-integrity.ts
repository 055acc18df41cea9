import type { ConformanceCase } from "../types.js";
import { decodeMulaw } from "../../emulator/media/mulaw.js";
import { fail, pass } from "../observe.js";
import { decodeAs, declaredFormat, matchMulaw, similarity } from "../audio-match.js";

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
  check(c) {
    const s = c.sessions[0];
    const modelSaid = s.sentAudio();
    const rec = c.call.streams[0];
    if (!modelSaid.length) return fail("model audio relayed", "the model sent no audio");
    const fmt = declaredFormat(s.outputFormat);
    if (rec.receivedPcmu && rec.receivedPcmu.length && fmt === "pcmu") {
      const m = matchMulaw(modelSaid, rec.receivedPcmu);
      if (m.exact && rec.receivedPcmu.length >= modelSaid.length - 160) return pass(`${m.frames} frames bit-exact`, { frames: m.frames });
      if (m.exact) return fail("all of the model's audio", `${rec.receivedPcmu.length} of ${modelSaid.length} bytes arrived`);
      return fail("bit-exact μ-law", `${m.mismatchedFrames}/${m.frames} frames differ; dropped ${m.dropped}, duplicated ${m.duplicated}, reordered ${m.reordered}`);
    }
    const ref = fmt === "pcmu" ? decodeMulaw(modelSaid) : decodeAs(modelSaid, fmt);
    const r = ref ? similarity(ref, rec.playedPcm) : 0;
    return r >= 0.98 ? pass(`correlation ${r.toFixed(3)}`, { correlation: r }) : fail("correlation ≥ 0.98 with the model's audio", `correlation ${r.toFixed(3)}`);
  },
} satisfies ConformanceCase;
