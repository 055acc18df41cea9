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

/** Findings beyond this many per code and stream are counted, not recorded one by one. */
export const MAX_FINDINGS_PER_CODE = 5;

/** Records findings for one stream, at most `MAX_FINDINGS_PER_CODE` each, then a count. */
export class FindingRecorder {
  private counts = new Map<StreamFindingCode, number>();

  constructor(
    private readonly timeline: Timeline,
    private readonly callId: string,
    private readonly streamId: string,
  ) {}

  record(code: StreamFindingCode, message: string, evidence?: number[]): void {
    const n = (this.counts.get(code) ?? 0) + 1;
    this.counts.set(code, n);
    if (n > MAX_FINDINGS_PER_CODE) return;
    const suffix = n === MAX_FINDINGS_PER_CODE ? " (further findings of this kind on this stream are counted, not listed)" : "";
    this.timeline.append(
      "finding",
      { code, level: STREAM_FINDINGS[code], message: `stream ${this.streamId}: ${message}${suffix}`, evidence },
      { callId: this.callId, lane: "carrier" },
    );
  }

  count(code: StreamFindingCode): number {
    return this.counts.get(code) ?? 0;
  }

  /** At stream end: one summary per code whose findings were cut. */
  flush(): void {
    for (const [code, n] of this.counts) {
      if (n <= MAX_FINDINGS_PER_CODE) continue;
      this.timeline.append(
        "finding",
        { code, level: STREAM_FINDINGS[code], message: `stream ${this.streamId}: ${n} occurrences in total (${n - MAX_FINDINGS_PER_CODE} not listed)` },
        { callId: this.callId, lane: "carrier" },
      );
    }
  }
}
