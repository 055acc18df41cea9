// At most 4 tracks per call across running StartTranscriptions (`both` counts 2); one more is rejected
// (realTimeTranscriptionRejected, cause `track-limit`). StopTranscriptions in between free their tracks.
import type { PitfallRule } from "./types.js";
import { TRANSCRIPTIONS, replay } from "./sessions.js";
import { report } from "./util.js";
import type { Diagnostic } from "./util.js";

const rule: PitfallRule = {
  id: "transcription/track-limit",
  level: "warning",
  // bandwidth.md §2.23, §3.4
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/startTranscription", "https://dev.bandwidth.com/docs/voice/bxml/startStream"],
  description: "More than 4 concurrent tracks across StartTranscription verbs (tracks=\"both\" counts 2).",
  check(root) {
    const out: Diagnostic[] = [];
    for (const o of replay(root, TRANSCRIPTIONS)) {
      if (o.kind !== "track-limit") continue;
      out.push(report(this, o.session.el.pos, `this StartTranscription would bring the call to ${o.activeTracks + o.session.weight} tracks (${o.activeTracks} already running; tracks="both" counts 2), over Bandwidth's limit of 4: it is rejected (realTimeTranscriptionRejected, cause track-limit). Transcribe fewer tracks, or stop an earlier one with <StopTranscription name="…"/> first.`));
    }
    return out;
  },
};
export default rule;
