// A call's media streams after StartStream established them: how each one ends (§3.6) and the
// ED-3 order when the carrier ends it (stop frame → close 1000 → mediaStreamStopped → disconnect).
// App-side endings follow ED-2 (cause from the close code, computed by the stream client).

import { isoDuration, isoTime } from "../clock.js";
import { mediaStreamStoppedPayload, type MediaStreamInfo } from "../protocol/webhooks.js";
import type { StreamMode, StreamTracks, TrackName } from "../protocol/media-stream.js";
import type { WebhookTarget } from "../webhooks/client.js";
import type { VerbHost } from "./host.js";
import type { MediaStream } from "./media.js";

export interface StreamEntry {
  id: string;
  name: string;
  destination: string;
  mode: StreamMode;
  tracks: StreamTracks;
  startWall: Date;
  stream: MediaStream;
  eventTarget?: WebhookTarget;
  /** Resolves once the socket is closed and mediaStreamStopped was handed to the webhook client. */
  finished: Promise<void>;
  /** Internal: set once the end is being handled (the first ending wins). */
  ending?: Promise<void>;
  resolveFinished: () => void;
}

export function trackList(t: StreamTracks): TrackName[] {
  return t === "both" ? ["inbound", "outbound"] : [t];
}

/** §3.4: `both` weighs 2. */
export function trackWeight(t: StreamTracks): number {
  return t === "both" ? 2 : 1;
}

export function streamInfo(e: Pick<StreamEntry, "id" | "name" | "destination" | "tracks" | "startWall">, duration?: string): MediaStreamInfo {
  return {
    id: e.id,
    name: e.name,
    destination: e.destination,
    startTime: isoTime(e.startWall),
    tracks: trackList(e.tracks),
    duration,
  };
}

type StreamEnd = Awaited<MediaStream["ended"]>;

/** Register an established stream and watch for the app or the network ending it. */
export function registerStream(call: VerbHost, e: Omit<StreamEntry, "finished" | "resolveFinished" | "ending">): StreamEntry {
  let resolveFinished!: () => void;
  const finished = new Promise<void>((r) => (resolveFinished = r));
  const entry: StreamEntry = { ...e, finished, resolveFinished };
  call.streams.set(entry.name, entry);
  entry.stream.ended.then(
    (end) => {
      if (!entry.ending) entry.ending = finalize(call, entry, end, false);
    },
    (err) => {
      if (!entry.ending)
        entry.ending = finalize(
          call,
          entry,
          { by: "network", code: 1006, reason: "", cause: "connection-error", errorMessage: String(err), atUs: call.clock.nowUs() } as StreamEnd,
          false,
        );
    },
  );
  return entry;
}

async function finalize(call: VerbHost, entry: StreamEntry, end: StreamEnd, awaitWebhook: boolean): Promise<void> {
  if (call.streams.get(entry.name) === entry) call.streams.delete(entry.name);
  try {
    call.streamRecords.push(entry.stream.record());
  } catch (err) {
    call.record("note", { message: `stream ${entry.id}: record unavailable: ${String(err)}` });
  }
  const cause = end.cause === "closed" ? "closed" : "connection-error";
  // The stream client already recorded `stream.app.abnormal-close` for app-side abnormal ends (ED-2).
  let p: Promise<unknown> | undefined;
  if (entry.eventTarget) {
    const durationUs = Math.max(0, end.atUs - entry.stream.startedUs);
    p = call.notify(
      "mediaStreamStopped",
      mediaStreamStoppedPayload(call.snapshot(), call.now(), streamInfo(entry, isoDuration(durationUs)), cause, end.errorMessage),
      entry.eventTarget,
    );
  }
  if (awaitWebhook && p) await p;
  entry.resolveFinished();
}

/** The carrier ends a stream (StopStream, ED-4 timeout, call end): ED-3 order. */
export function stopStream(call: VerbHost, entry: StreamEntry, awaitWebhook = false): Promise<void> {
  if (!entry.ending) {
    entry.ending = (async () => {
      let end: StreamEnd;
      try {
        end = await entry.stream.stop();
      } catch (err) {
        end = { by: "carrier", code: 1000, reason: "", cause: "closed", atUs: call.clock.nowUs() } as StreamEnd;
        call.record("note", { message: `stream ${entry.id}: stop failed: ${String(err)}` });
      }
      // A stop the carrier initiated is `closed` even if the app answered the close oddly (§3.6).
      await finalize(call, entry, { ...end, cause: end.by === "carrier" ? "closed" : end.cause }, awaitWebhook);
    })();
  }
  return entry.ending;
}

/** VerbHost end: every active stream stops, and `disconnect` waits for their webhooks (ED-3). */
export async function stopAllStreams(call: VerbHost): Promise<void> {
  const entries = [...call.streams.values()];
  await Promise.all(entries.map((e) => stopStream(call, e, true)));
  // Streams the app was already closing: wait until their handling finished.
  await Promise.all(entries.map((e) => e.finished));
}
