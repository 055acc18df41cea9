// At most 4 tracks per call across running StartStreams (`both` counts 2); one more is rejected
// (mediaStreamRejected, cause `track-limit`). StopStreams in between free their tracks.
import type { PitfallRule } from "./types.js";
import { STREAMS, replay } from "./sessions.js";
import { report } from "./util.js";
import type { Diagnostic } from "./util.js";

const rule: PitfallRule = {
  id: "stream/track-limit",
  level: "warning",
  // bandwidth.md §3.1 step 3, §3.4, §8 #18
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/startStream", "https://dev.bandwidth.com/docs/voice/bxml"],
  description: "More than 4 concurrent tracks across StartStream verbs (tracks=\"both\" counts 2).",
  check(root) {
    const out: Diagnostic[] = [];
    for (const o of replay(root, STREAMS)) {
      if (o.kind !== "track-limit") continue;
      out.push(report(this, o.session.el.pos, `this StartStream would bring the call to ${o.activeTracks + o.session.weight} tracks (${o.activeTracks} already running; tracks="both" counts 2), over Bandwidth's limit of 4: it is rejected (mediaStreamRejected, cause track-limit). Stream fewer tracks, or stop an earlier one with <StopStream name="…"/> first.`));
    }
    return out;
  },
};
export default rule;
