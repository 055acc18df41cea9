// What the media-stream client records as `finding` events when the app misbehaves on the socket.
// The carrier ignores the bad input (OPEN-9, OPEN-10) and keeps the call up; the finding, with the
// seq of the frame that proves it, is what conformance cases and reports read.

import type { Timeline } from "../timeline.js";

export type FindingLevel = "error" | "warning" | "info";

/** Codes and levels. One line each: the source that makes it a mistake. */
export const STREAM_FINDINGS = {
  /** OPEN-9: frames are JSON text only (§4.1). */
  "stream.app.binary-frame": "warning",
  /** OPEN-9: malformed JSON. */
  "stream.app.not-json": "warning",
  "stream.app.not-object": "warning",
  /** Nesting or value count no media-stream message has: refused before parsing (parse cost is bounded). */
  "stream.app.too-complex": "warning",
  "stream.app.missing-event-type": "warning",
  /** OPEN-9: only playAudio and clear exist app → carrier (§4.6). */
  "stream.app.unknown-event": "warning",
  /** OPEN-9: playAudio on a unidirectional stream is ignored. */
  "stream.app.play-audio-unidirectional": "warning",
  /** OPEN-10: an unknown contentType is ignored. */
  "stream.app.bad-content-type": "warning",
  /** Accepted by MIME rules, but not spelt as §4.6 writes it. */
  "stream.app.content-type-noncanonical": "warning",
  /** The audio cannot be played: the caller hears nothing of it (audio.down.shape). */
  "stream.app.missing-field": "error",
  "stream.app.bad-field-type": "error",
  "stream.app.bad-base64": "error",
  "stream.app.odd-byte-count": "error",
  /** Bigger than the carrier's per-message limit: closed with 1009. */
  "stream.app.message-too-big": "error",
  /** Text frame that is not UTF-8, or another WebSocket protocol violation: closed by `ws`. */
  "stream.app.protocol-error": "error",
  /** More pings than any keepalive sends: the carrier closes with 1008. */
  "stream.app.ping-flood": "error",
  /** The play-out queue is full (a flood): the excess audio is dropped. */
  "stream.playout.overflow": "warning",
  /** ED-2: the app ended the socket with a code that makes the stop cause `connection-error`. */
  "stream.app.abnormal-close": "warning",
  /** The app never answered the carrier's close frame; the socket was destroyed. */
  "stream.app.close-unanswered": "warning",
  /** Recording caps reached (the call's WAV/bit-exact evidence is incomplete). */
  "stream.record.truncated": "info",
} as const satisfies Record<string, FindingLevel>;

export type StreamFindingCode = keyof typeof STREAM_FINDINGS;

/** Distinct findings (different messages) listed per code and stream; further ones are counted. */
export const MAX_FINDINGS_PER_CODE = 5;

/**
 * Records findings for one stream. Repeats of one finding are one timeline event with a count (the
 * timeline collapses identical findings); at most `MAX_FINDINGS_PER_CODE` distinct ones per code are
 * listed, further ones counted and summarised when the stream ends.
 */
export class FindingRecorder {
  private readonly distinct = new Map<StreamFindingCode, Set<string>>();
  private readonly counts = new Map<StreamFindingCode, number>();
  private readonly unlisted = new Map<StreamFindingCode, number>();

  constructor(
    private readonly timeline: Timeline,
    private readonly callId: string,
    private readonly streamId: string,
  ) {}

  record(code: StreamFindingCode, message: string, evidence?: number[]): void {
    this.counts.set(code, (this.counts.get(code) ?? 0) + 1);
    let seen = this.distinct.get(code);
    if (!seen) this.distinct.set(code, (seen = new Set()));
    if (!seen.has(message) && seen.size >= MAX_FINDINGS_PER_CODE) {
      this.unlisted.set(code, (this.unlisted.get(code) ?? 0) + 1);
      return;
    }
    seen.add(message);
    this.timeline.append(
      "finding",
      { code, level: STREAM_FINDINGS[code], message: `stream ${this.streamId}: ${message}`, evidence },
      { callId: this.callId, lane: "carrier" },
    );
  }

  count(code: StreamFindingCode): number {
    return this.counts.get(code) ?? 0;
  }

  /** At stream end: one summary per code whose findings were not all listed. */
  flush(): void {
    for (const [code, n] of this.unlisted) {
      this.timeline.append(
        "finding",
        {
          code,
          level: STREAM_FINDINGS[code],
          message: `stream ${this.streamId}: ${this.count(code)} occurrences in total; ${n} with details other than the ${MAX_FINDINGS_PER_CODE} listed are not listed`,
        },
        { callId: this.callId, lane: "carrier" },
      );
    }
  }
}
