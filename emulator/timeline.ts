// The timeline is the spine of bwemu: every observable event of a call (HTTP exchanges, WebSocket
// frames both ways, webhooks, verbs, audio segments, stub events) is appended here once, with a
// monotonic µs timestamp. The CLI's live view, the conformance cases, latency figures and reports
// all read the same events; nothing measures twice.
//
// Event kinds and their data live in `TimelineEventMap`. A module that records a new kind adds it
// by declaration merging in its own file, so no one edits this file to add a kind:
//
//   declare module "../timeline.js" {
//     interface TimelineEventMap { "stub.turn": { index: number; firstDeltaUs: number } }
//   }

import type { Clock } from "./clock.js";
import { redactHeaderValue, SecretSet } from "./webhooks/redact.js";
import { realClock } from "./clock.js";

/** Who produced or observed the event. */
export type Lane = "carrier" | "app" | "stub" | "harness";

export type Headers = Record<string, string>;

export interface HttpExchangeData {
  /** What the exchange was for. */
  role: "webhook" | "bxml-fetch" | "audio-fetch" | "rest-api" | "ws-upgrade";
  method: string;
  url: string;
  requestHeaders: Headers;
  /** Body as text, truncated to `MAX_BODY_CHARS`. */
  requestBody?: string;
  status?: number;
  responseHeaders?: Headers;
  responseBody?: string;
  /** Set when no response came: connection refused, timeout, too large… */
  error?: string;
  durationUs: number;
  /** 1 for the first try, 2 for the retry; `fallback` when the fallback URL was used. */
  attempt: number;
  fallback?: boolean;
  truncated?: boolean;
}

export interface TimelineEventMap {
  /** A call exists: the carrier is about to send `initiate`/`answer`. */
  "call.created": { callId: string; direction: "inbound" | "outbound"; from: string; to: string; appUrl: string };
  "call.state": {
    state: "initiated" | "answered" | "disconnected";
    cause?: string;
    errorMessage?: string;
  };
  "http.exchange": HttpExchangeData;
  /** A webhook's final outcome after retries/fallback (the exchanges are recorded separately). */
  "webhook.result": {
    eventType: string;
    url: string;
    method: "GET" | "POST";
    ok: boolean;
    status?: number;
    attempts: number;
    usedFallback: boolean;
    error?: string;
    /** The payload that was sent (credentials never included). */
    payload: Record<string, unknown>;
  };
  /** A BXML document the carrier received and will (or will not) execute. */
  "bxml.received": {
    url: string;
    text: string;
    accepted: boolean;
    /** Lint diagnostics: [ruleId, level, line, col, message]. */
    diagnostics: { ruleId: string; level: "error" | "warning" | "info"; line: number; col: number; message: string }[];
  };
  "verb.start": { verb: string; line: number; col: number; attrs: Record<string, string> };
  "verb.end": { verb: string; outcome?: string };
  /** The carrier's media-stream socket opened (or failed to). */
  "stream.connect": {
    streamId: string;
    name: string;
    destination: string;
    ok: boolean;
    status?: number;
    error?: string;
    authorization?: "basic" | "none";
  };
  /**
   * One WebSocket frame on a media stream. `media` frames are summarised (track, sequence, bytes);
   * every other frame carries its text (truncated) so cases can quote it.
   */
  "ws.frame": {
    streamId: string;
    direction: "out" | "in";
    eventType?: string;
    binary?: boolean;
    bytes: number;
    track?: "inbound" | "outbound";
    sequenceNumber?: string;
    text?: string;
  };
  "ws.close": {
    streamId: string;
    by: "carrier" | "app" | "network";
    code: number;
    reason: string;
  };
  /** Audio the app sent back (playAudio) was accepted into the play-out queue. */
  "audio.queued": { streamId: string; contentType: string; samples8k: number; durationMs: number };
  /** A contiguous run of queued audio started playing to the caller. */
  "audio.play": { streamId: string; durationMs: number };
  /** `clear` dropped unplayed audio. */
  "audio.cleared": { streamId: string; droppedMs: number };
  /** Caller audio: an utterance of the script started/ended (carrier sent its first/last speech frame). */
  "caller.utterance": { index: number; phase: "start" | "end"; frame: number; bargeIn?: boolean };
  /** Pacing scheduler lateness summary for a window of frames. */
  "scheduler.lateness": { frames: number; p50Us: number; p99Us: number; maxUs: number };
  /** Something the app did wrong (or notable), with the seqs of the events that prove it. */
  finding: {
    code: string;
    level: "error" | "warning" | "info";
    message: string;
    evidence?: number[];
  };
  /** Free-form note from the harness (e.g. "stub started"). */
  note: { message: string };
}

export type TimelineKind = keyof TimelineEventMap;

export interface TimelineEvent<K extends TimelineKind = TimelineKind> {
  /** Position in the timeline, from 0. */
  seq: number;
  /** Monotonic time in µs (the clock of the process that recorded it). */
  t: number;
  lane: Lane;
  kind: K;
  callId?: string;
  data: TimelineEventMap[K];
}

export const MAX_BODY_CHARS = 64 * 1024;
export const DEFAULT_MAX_EVENTS = 500_000;

const SECRET_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "openai-api-key", "api-key"]);

/** Header map safe to record: credentials are replaced by their scheme only. */
export function redactHeaders(h: Record<string, string | string[] | undefined>): Headers {
  const out: Headers = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    const value = Array.isArray(v) ? v.join(", ") : String(v);
    const name = k.toLowerCase();
    // Authorization keeps its scheme; a cookie or key has no part worth keeping.
    const scheme = /^\s*([A-Za-z][\w-]*)\s+\S/.exec(value);
    out[name] = !SECRET_HEADERS.has(name) ? redactHeaderValue(value) : name.endsWith("authorization") && scheme ? `${scheme[1]} [redacted]` : "[redacted]";
  }
  return out;
}

/** Truncate a body for recording; returns the text and whether it was cut. */
export function clipBody(body: string | undefined, max = MAX_BODY_CHARS): { text?: string; truncated: boolean } {
  if (body === undefined) return { truncated: false };
  if (body.length <= max) return { text: body, truncated: false };
  return { text: body.slice(0, max), truncated: true };
}

export type TimelineListener = (e: TimelineEvent) => void;

export class Timeline {
  readonly events: TimelineEvent[] = [];
  /** Events not kept because the cap was reached (the timeline never grows without bound). */
  dropped = 0;
  private listeners: TimelineListener[] = [];
  /** Secret values learnt from the calls' BXML: scrubbed from every event appended (webhooks/redact.ts). */
  readonly secrets = new SecretSet();

  constructor(
    readonly clock: Clock = realClock,
    private readonly maxEvents = DEFAULT_MAX_EVENTS,
  ) {}

  append<K extends TimelineKind>(
    kind: K,
    data: TimelineEventMap[K],
    opts: { lane?: Lane; callId?: string; t?: number } = {},
  ): TimelineEvent<K> {
    const e: TimelineEvent<K> = {
      seq: this.events.length + this.dropped,
      t: opts.t ?? this.clock.nowUs(),
      lane: opts.lane ?? "carrier",
      kind,
      callId: opts.callId,
      data: this.secrets.scrub(data),
    };
    if (this.events.length < this.maxEvents) this.events.push(e as TimelineEvent);
    else this.dropped++;
    for (const l of this.listeners) l(e as TimelineEvent);
    return e;
  }

  /** Live subscription (CLI output); returns an unsubscribe function. */
  subscribe(l: TimelineListener): () => void {
    this.listeners.push(l);
    return () => {
      this.listeners = this.listeners.filter((x) => x !== l);
    };
  }

  of<K extends TimelineKind>(kind: K, callId?: string): TimelineEvent<K>[] {
    return this.events.filter(
      (e) => e.kind === kind && (callId === undefined || e.callId === callId),
    ) as TimelineEvent<K>[];
  }

  /** Events within [fromUs, toUs], for evidence slices. */
  between(fromUs: number, toUs: number): TimelineEvent[] {
    return this.events.filter((e) => e.t >= fromUs && e.t <= toUs);
  }

  toJSONL(): string {
    return this.events.map((e) => JSON.stringify(e)).join("\n") + (this.events.length ? "\n" : "");
  }
}
