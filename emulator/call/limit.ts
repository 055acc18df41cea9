// bwemu's own limit ended a call (the longest a call may last, ED-4 / OPEN-22): recorded as data, with
// what the caller's script was doing then, so a judgement never reads bwemu's cut as the app's doing.

import type { VerbHost } from "./host.js";

declare module "../timeline.js" {
  interface TimelineEventMap {
    "call.limit": {
      limit: "duration";
      /** The cap that ended the call, ms. */
      ms: number;
      /** The caller script at that instant: waiting for its turn (`gate`), about to speak, speaking, or finished. */
      caller?: { phase: "gate" | "lead" | "speak" | "tail" | "done"; utterance: number };
    };
  }
}

/** End the call with `hangup` once it has lasted the call's or the carrier's maximum, whichever is less. */
export function armDurationLimit(call: Pick<VerbHost, "options" | "settings" | "sleep" | "signal" | "record" | "audio" | "finish">): void {
  const maxMs = Math.min(call.options.maxDurationMs ?? Infinity, call.settings.maxCallDurationMs);
  void call
    .sleep(maxMs, call.signal)
    .then(() => {
      // ED-4 / OPEN-22: bwemu's own limit, not Bandwidth's.
      call.record("note", { message: `bwemu's maximum call duration of ${maxMs} ms reached` });
      call.record("call.limit", { limit: "duration", ms: maxMs, caller: call.audio?.callerState });
      void call.finish("hangup", undefined, "duration-limit");
    })
    .catch(() => undefined);
}
