import type { ConformanceCase } from "../types.js";
import { encodeMulaw } from "../../emulator/media/mulaw.js";
import { fail, pass } from "../observe.js";
import { decodeAs, declaredFormat, matchMulaw, similarity } from "../audio-match.js";

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
  check(c) {
    const rec = c.call.streams[0];
    const sent = rec.inboundPcmu ?? encodeMulaw(rec.inboundPcm);
    const s = c.sessions[0];
    const got = s.appendedAudio();
    if (!got.length) return fail("the caller's audio appended", "nothing appended");
    const fmt = declaredFormat(s.inputFormat);
    if (fmt === "pcmu" || fmt === "unknown") {
      const m = matchMulaw(sent, got);
      if (m.exact) return pass(`${m.frames} frames bit-exact (from byte ${m.offset})`, { frames: m.frames });
      return fail("bit-exact μ-law, no dropped or reordered frames",
        m.offset < 0 ? "the appended audio does not contain the caller's μ-law audio" : `${m.mismatchedFrames}/${m.frames} frames differ; dropped ${m.dropped}, duplicated ${m.duplicated}, reordered ${m.reordered}`);
    }
    const pcm = decodeAs(got, fmt);
    const r = pcm ? similarity(rec.inboundPcm, pcm) : 0;
    return r >= 0.98 ? pass(`correlation ${r.toFixed(3)} after ${fmt} conversion`, { correlation: r }) : fail("correlation ≥ 0.98 after the declared conversion", `correlation ${r.toFixed(3)} (declared ${s.inputFormat})`);
  },
} satisfies ConformanceCase;
