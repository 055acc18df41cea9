import type { ConformanceCase } from "../types.js";
import { fail, pass } from "../observe.js";
import { decodeAs, declaredFormat, similarity } from "../audio-match.js";

export default {
  id: "audio.up.format-declared",
  level: "MUST",
  title: "The declared input format matches the bytes",
  expectation: "the input format in session.update matches the bytes appended",
  // openai-realtime.md §5.1, §5.2 (a mismatch is silent on the wire: the model hears noise)
  docs: ["https://platform.openai.com/docs/guides/realtime"],
  outcomes: "decoding the appended bytes as the declared format gives the caller's audio (correlation ≥ 0.9)",
  scenarios: ["basic"],
  requires: ["bidirectional", "session"],
  check(c) {
    const s = c.sessions[0];
    const fmt = declaredFormat(s.inputFormat);
    const got = s.appendedAudio();
    if (!got.length) return fail("appended audio in the declared format", "nothing appended");
    if (fmt === "unknown" || fmt === "pcma") return fail("a declared input format (audio/pcmu or audio/pcm 24 kHz)", `declared: ${s.inputFormat ?? "nothing (session default audio/pcm 24 kHz)"}`);
    const pcm = decodeAs(got, fmt);
    const r = pcm ? similarity(c.call.streams[0].inboundPcm, pcm) : 0;
    if (r >= 0.9) return pass(`${s.inputFormat}: correlation ${r.toFixed(3)}`, { correlation: r });
    const other = decodeAs(got, fmt === "pcmu" ? "pcm16-24k" : "pcmu");
    const r2 = other ? similarity(c.call.streams[0].inboundPcm, other) : 0;
    return fail(`bytes in the declared ${s.inputFormat}`, `correlation ${r.toFixed(3)} as declared${r2 > 0.9 ? `, ${r2.toFixed(3)} as ${fmt === "pcmu" ? "PCM16" : "μ-law"}: the bytes are ${fmt === "pcmu" ? "PCM16" : "μ-law"}` : ""}`);
  },
} satisfies ConformanceCase;
