// The call's audio and media streams, as provided by emulator/stream and emulator/media. This file
// is the call engine's only door to emulator/stream and to the live parts of emulator/media (the
// caller feed, the pacing scheduler), so the engine stays independent of their internals; verbs
// use emulator/media's pure functions (WAV, resampling, synthesis) directly. A structure test
// (test/structure/imports.test.ts) keeps it so.

import type { Clock } from "../clock.js";
import type { MediaFormat } from "../protocol/media-stream.js";
import type { Timeline } from "../timeline.js";
import { CallAudio } from "../stream/call-audio.js";
import { openMediaStream, type MediaStream } from "../stream/media-stream.js";
import { CallerFeed, loadCallerAudio } from "../media/caller-feed.js";
import { sharedScheduler } from "../media/scheduler.js";
import type { CallerAudio } from "./types.js";

export type { CallAudio, MediaStream };

export async function createCallAudio(o: {
  callId: string;
  caller: CallerAudio;
  format: MediaFormat;
  pacing: "realtime" | "fast";
  timeline: Timeline;
  clock: Clock;
  /** ED-12 (settings.callerStartsAt "stream-start"): the caller waits for a stream or a recording. */
  callerWaits: boolean;
}): Promise<CallAudio> {
  const utterances = await loadCallerAudio(o.caller, o.format);
  const caller = new CallerFeed(utterances, o.format);
  return new CallAudio({
    callId: o.callId,
    caller,
    format: o.format,
    scheduler: sharedScheduler(o.pacing),
    timeline: o.timeline,
    clock: o.clock,
    callerWaits: o.callerWaits,
  });
}

/** The stream client itself: this module is the call engine's one door to emulator/stream. */
export const openStream = openMediaStream;
