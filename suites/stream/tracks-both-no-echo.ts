import type { ConformanceCase } from "../types.js";
import { decodeMulaw } from "../../emulator/media/mulaw.js";
import { fail, pass, skipped, streamTracks } from "../observe.js";

export default {
  id: "stream.tracks.both-no-echo",
  level: "MUST",
  title: "The agent's own voice is not sent back to the model",
  expectation: "with tracks=\"both\", outbound-track audio is not forwarded to the model",
  // bandwidth.md §3.7 (the app's playAudio comes back on the outbound track; Bandwidth's pipecat serializer drops it)
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/startStream"],
  outcomes: "the appended audio is the inbound track only; skipped unless tracks=\"both\"",
  scenarios: ["basic"],
  requires: ["bidirectional", "session"],
  check(c) {
    if (streamTracks(c.call) !== "both") return skipped(`tracks="${streamTracks(c.call)}": no outbound track is streamed`);
    const rec = c.call.streams[0];
    const inboundBytes = rec.inboundPcm.length; // μ-law: one byte per sample
    const appended = c.sessions.reduce((n, s) => n + s.appendedAudio().length, 0);
    // The agent's voice is on the outbound track: a bridge that forwards it appends ~twice the inbound audio.
    if (appended > inboundBytes * 1.25) {
      const heard = decodeMulaw(c.sessions[0].appendedAudio()).length;
      return fail("only inbound audio appended", `${appended} bytes appended for ${inboundBytes} inbound samples (${heard} decoded): outbound frames are echoed to the model`);
    }
    return pass(`${appended} bytes appended for ${inboundBytes} inbound samples`);
  },
} satisfies ConformanceCase;
