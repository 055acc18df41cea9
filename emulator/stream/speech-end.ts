// Timeline kind of the carrier's sample-accurate speech end (openai-realtime.md §12.3.2 C_end): which
// frame held the last speech sample of a caller utterance, where inside it speech ended, and the
// instants that frame and its neighbours were handed to the streams' sockets. The neighbours let the
// latency code follow the stub to the frame that carried *its* last speech sample when a transcoding
// hop moved the boundary across a frame edge; the frames after it show the carrier's own pacing over
// the VAD hangover. Appended once those frames went out, or when the call's audio stops.

/** Frames tracked after the speech-end frame (1 s: covers a 500 ms hangover with room to spare). */
export const SPEECH_END_TRACK_FRAMES = 50;

declare module "../timeline.js" {
  interface TimelineEventMap {
    "caller.speech-end": {
      /** Utterance index, as in `caller.utterance`. */
      index: number;
      /** The call's frame number (tick from 0) holding the last speech sample. */
      frame: number;
      /** Frame length, ms. */
      frameMs: number;
      /** Where speech ends inside that frame, ms from its start ((0, frameMs]). */
      endOffsetMs: number;
      /**
       * Send instants (µs, carrier clock) of consecutive frames from `fromFrame` (the frame before
       * `frame` when there was one) to SPEECH_END_TRACK_FRAMES after it: C_end, and the frames that
       * carried the hangover (the carrier's own pacing over it).
       */
      fromFrame: number;
      sentUs: number[];
    };
  }
}

export {};
