import type { ConformanceCase } from "../types.js";
import { fail, findings, frames, pass } from "../observe.js";

/** Findings the stream client records for malformed app → carrier messages. */
const SHAPE_FINDINGS = /binary|not-json|unknown-event|bad-content-type|content-type|base64|odd-byte|missing-field|not-object/;

export default {
  id: "audio.down.shape",
  level: "MUST",
  title: "Every message back is a well-formed playAudio or clear",
  expectation: "JSON text frames `playAudio` with a supported media.contentType and valid base64 of whole samples",
  // bandwidth.md §4.6
  docs: ["https://dev.bandwidth.com/docs/voice/guides/mediaStreaming"],
  outcomes: "contentType ∈ {audio/pcmu, audio/pcm;rate=8000|16000|24000;channels=1;bit-depth=16;endian=little;encoding=signed}; valid base64; whole samples",
  scenarios: ["basic"],
  requires: ["bidirectional"],
  check(c) {
    const bad = findings(c.call).filter((f) => SHAPE_FINDINGS.test(f.data.code));
    const plays = frames(c.call, "in", "playAudio");
    if (bad.length) return fail("only well-formed playAudio/clear messages", bad.slice(0, 5).map((f) => f.data.message).join("\n"), bad.slice(0, 10));
    if (!plays.length) return fail("playAudio messages", "the bridge sent no audio back");
    return pass(`${plays.length} playAudio messages`);
  },
} satisfies ConformanceCase;
