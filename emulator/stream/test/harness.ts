// Builds a real CallAudio + media stream against a test app, for the stream tests.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { realClock, type Clock } from "../../clock.js";
import type { CallerAudio } from "../../call/types.js";
import { CallerFeed, loadCallerAudio } from "../../media/caller-feed.js";
import { createPacingScheduler, type PacingScheduler } from "../../media/scheduler.js";
import { writeWav } from "../../media/wav.js";
import type { MediaFormat, StreamMode, StreamTracks } from "../../protocol/media-stream.js";
import { Timeline } from "../../timeline.js";
import { CallAudio } from "../call-audio.js";
import { openMediaStream, type OpenStreamOptions, type OpenStreamResult, type StreamLimits } from "../media-stream.js";

export const CALL_ID = "c-4d1e7a90-8b2f0c3d-5e6a-4b7c-9d8e-1f2a3b4c5d6e";
export const STREAM_ID = "s-4d1e7a90-0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d";

export interface Rig {
  timeline: Timeline;
  audio: CallAudio;
  scheduler: PacingScheduler;
  result: OpenStreamResult;
  close(): void;
}

export interface RigOptions {
  destination: string;
  caller?: CallerAudio;
  format?: MediaFormat;
  mode?: StreamMode;
  tracks?: StreamTracks;
  name?: string;
  streamParams?: Record<string, string>;
  credentials?: { username: string; password: string };
  pacing?: "fast" | "realtime";
  /** A manual clock drives the ticks (deterministic; advance it 20 ms per frame). */
  clock?: Clock;
  limits?: StreamLimits;
  settings?: Partial<OpenStreamOptions["settings"]>;
  /** Start ticking as soon as the stream is open (default true). */
  start?: boolean;
}

export async function rig(o: RigOptions): Promise<Rig> {
  const clock = o.clock ?? realClock;
  const format = o.format ?? { encoding: "PCMU", sampleRate: 8000 };
  const timeline = new Timeline(clock);
  const scheduler = createPacingScheduler({ clock, mode: o.clock ? "realtime" : (o.pacing ?? "fast") });
  const feed = new CallerFeed(await loadCallerAudio(o.caller ?? { silence: true }, format), format, { tailSilenceMs: 0 });
  const audio = new CallAudio({ callId: CALL_ID, caller: feed, format, scheduler, timeline, clock });
  const result = await openMediaStream({
    callId: CALL_ID,
    accountId: "5550001",
    streamId: STREAM_ID,
    name: o.name ?? "agent",
    destination: o.destination,
    credentials: o.credentials,
    mode: o.mode ?? "bidirectional",
    tracks: o.tracks ?? "inbound",
    streamParams: o.streamParams,
    settings: {
      mediaFormat: format,
      eventTypeLast: true,
      sequenceScope: "track",
      cleanCloseCodes: [1000, 1001, 1005],
      streamConnectTimeoutMs: 5000,
      pacing: o.pacing ?? "fast",
      ...o.settings,
    },
    audio,
    timeline,
    clock,
    limits: o.limits,
  });
  if (o.start !== false) audio.start();
  return {
    timeline,
    audio,
    scheduler,
    result,
    close() {
      audio.stop();
      scheduler.close();
      if (result.ok) void result.stream.stop();
    },
  };
}

/** A WAV file in a temp dir: `ms` of a tone with silence around it (so it holds one utterance). */
export function toneWav(opts: { ms: number; hz?: number; rate?: number; leadMs?: number; tailMs?: number; amplitude?: number }): string {
  const rate = opts.rate ?? 8000;
  const lead = Math.round(((opts.leadMs ?? 100) * rate) / 1000);
  const body = Math.round((opts.ms * rate) / 1000);
  const tail = Math.round(((opts.tailMs ?? 100) * rate) / 1000);
  const pcm = new Int16Array(lead + body + tail);
  const amp = opts.amplitude ?? 8000;
  let x = 12345;
  for (let i = 0; i < body; i++) {
    // tone plus a little deterministic noise, so every μ-law code path gets exercised
    x = (x * 1103515245 + 12345) >>> 0;
    pcm[lead + i] = Math.round(amp * Math.sin((2 * Math.PI * (opts.hz ?? 440) * i) / rate)) + ((x >>> 16) % 200) - 100;
  }
  const dir = mkdtempSync(join(tmpdir(), "bwemu-stream-"));
  const path = join(dir, "caller.wav");
  writeFileSync(path, writeWav(pcm, rate));
  return path;
}

/** Media frames the app received on one track, in arrival order. */
export function mediaOf(frames: Record<string, unknown>[], track?: "inbound" | "outbound"): { track: string; payload: string; sequenceNumber: string }[] {
  return frames.filter((f) => f.eventType === "media" && (!track || f.track === track)) as never;
}
