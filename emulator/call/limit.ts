// bwemu's own limit ended a call (the longest a call may last, ED-4 / OPEN-22): recorded as data, with
// what the caller's script was doing then, so a judgement never reads bwemu's cut as the app's doing.

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

export {};
