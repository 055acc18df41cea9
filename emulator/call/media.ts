// The call's audio and media streams, as provided by emulator/stream and emulator/media. This file
// is the call engine's only door to emulator/stream and to the live parts of emulator/media (the
// caller feed, the pacing scheduler), so the engine stays independent of their internals; verbs
// use emulator/media's pure functions (WAV, resampling, synthesis) directly. A structure test
// (test/structure/imports.test.ts) keeps it so.

import type { Clock } from "../clock.js";
import type { MediaFormat } from "../protocol/media-stream.js";
import type { Timeline } from "../timeline.js";
import { CallAudio, type AudioFrameListener } from "../stream/call-audio.js";
import { openMediaStream, type MediaStream } from "../stream/media-stream.js";
import { CallerFeed, callerPrefixes, loadCallerAudio, withPrefixes, type ResolvedUtterance } from "../media/caller-feed.js";
import { sharedScheduler } from "../media/scheduler.js";
import type { CallerAudio } from "./types.js";

export type { AudioFrameListener, CallAudio, MediaStream };

export async function createCallAudio(o: {
  callId: string;
  caller: CallerAudio;
  format: MediaFormat;
  pacing: "realtime" | "fast";
  timeline: Timeline;
  clock: Clock;
  /** ED-12 (settings.callerStartsAt "stream-start"): the caller waits for a stream or a recording. */
  callerWaits: boolean;
  recordAudio?: "both" | "none";
  onFrame?: AudioFrameListener;
}): Promise<CallAudio> {
  const utterances = await callerUtterances(o.caller, o.format);
  const caller = new CallerFeed(utterances, o.format);
  return new CallAudio({
    callId: o.callId,
    caller,
    format: o.format,
    scheduler: sharedScheduler(o.pacing),
    timeline: o.timeline,
    clock: o.clock,
    callerWaits: o.callerWaits,
    recordAudio: o.recordAudio,
    onFrame: o.onFrame,
  });
}

// Load runs give hundreds of calls the same caller audio: decoding and analysing the WAVs per call
// would block this thread's pacing for milliseconds at every call start. With the cache on (per
// thread: load shards turn it on), each distinct caller audio is resolved once and its frames shared
// (read-only). Off by default, so a WAV edited between two calls of a long `bwemu test` is re-read.
const resolved = new Map<string, Promise<ResolvedUtterance[]>>();
const MAX_CACHED = 32;
let caching = false;

/** Share resolved caller audio between the calls of this thread (load runs); off clears it. */
export function cacheCallerAudio(on: boolean): void {
  caching = on;
  if (!on) resolved.clear();
}

async function callerUtterances(caller: CallerAudio, format: MediaFormat): Promise<ResolvedUtterance[]> {
  if (!caching || "silence" in caller) return loadCallerAudio(caller, format);
  // A call's own prefixes (its load signature) are spliced in per call; the WAVs' audio is shared.
  const { shared, prefixes } = callerPrefixes(caller);
  const key = JSON.stringify([shared, format, process.cwd()]);
  let p = resolved.get(key);
  if (!p) {
    if (resolved.size >= MAX_CACHED) resolved.delete(resolved.keys().next().value!);
    p = loadCallerAudio(shared, format);
    resolved.set(key, p);
    p.catch(() => resolved.delete(key));
  }
  return withPrefixes(await p, prefixes, format);
}

/** The stream client itself: this module is the call engine's one door to emulator/stream. */
export const openStream = openMediaStream;
