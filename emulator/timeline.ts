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
import { CompactColumns, compactData, compactStrings, type CompactShape, type CompactSpec } from "./timeline-frames.js";
import { TurnPlays, type KeepRow } from "./timeline-turns.js";

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
    /** Disconnected: who or what ended the call (EndedBy in call/types.ts). */
    endedBy?: string;
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
  "audio.queued": {
    streamId: string;
    contentType: string;
    samples8k: number;
    durationMs: number;
    /** The audio was silence (no sample over the speech level): the bot kept the line busy, nobody spoke. */
    silent?: true;
  };
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
    /**
     * Identical findings (same call, code, level and message) are one event: how many times it
     * occurred, and when and with what evidence the last one did (the event's own `t` is the first).
     */
    count?: number;
    lastT?: number;
    lastEvidence?: number[];
  };
  /** Free-form note from the harness (e.g. "stub started"). */
  note: { message: string };
  /** Written last in timeline.jsonl when a cap left media events out (never appended). */
  "timeline.dropped": DropSummary;
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
/** Media events kept over all calls of one timeline (lifecycle events are not counted). */
export const DEFAULT_MAX_EVENTS = 500_000;
/**
 * Media events kept per call: 200 000 is 20 min of a bidirectional both-track stream with a reply
 * frame per tick (~170 events/s), far longer than any conformance call. A flood hits it in seconds.
 */
export const DEFAULT_MAX_EVENTS_PER_CALL = envCount("BWEMU_TIMELINE_MAX_EVENTS_PER_CALL") ?? 200_000;

function envCount(name: string): number | undefined {
  const n = Number(process.env[name]);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * Events that can be dropped once a cap is reached: media frames and audio-queue bookkeeping, which
 * a flood multiplies. Everything else (the call's lifecycle, webhooks, BXML, verbs, `start`/`stop`
 * frames, closes, findings, notes) is always kept, so a capped timeline still tells how the call ended.
 */
export function isMediaEvent(kind: string, data: unknown): boolean {
  if (kind === "ws.frame") {
    const t = (data as { eventType?: string }).eventType;
    return t !== "start" && t !== "stop";
  }
  return MEDIA_KINDS.has(kind);
}
const MEDIA_KINDS = new Set(["audio.queued", "audio.play", "audio.drained", "audio.cleared", "direct.audio", "stub.event"]);

/** What a capped timeline left out (written as the last line of timeline.jsonl). */
export interface DropSummary {
  /** Media events not kept. */
  events: number;
  byKind: Record<string, number>;
  /** t of the first and last dropped event. */
  firstT?: number;
  lastT?: number;
}

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

function findingKey(f: TimelineEventMap["finding"], callId: string | undefined): string {
  return `${callId ?? ""}\u0000${f.code}\u0000${f.level}\u0000${f.message}`;
}

export type TimelineListener = (e: TimelineEvent) => void;

export interface TimelineOptions {
  /**
   * Media rows kept. "all" (default): every frame, for the conformance cases and reports that read
   * them. "turns" (`bwemu load`): the carrier's outgoing `media` frames (100 a second on a both-track
   * stream) get their seq and reach live subscribers but are not kept, and of the app's `playAudio`
   * (with their `audio.queued`) only those a turn's latency reads (timeline-turns.ts): a call's
   * timeline no longer grows with its age, only with its turns.
   */
  media?: "all" | "turns";
}

export class Timeline {
  /**
   * Every event kept, in seq order. A compact media event (appendCompact) is a number here, its
   * index in `frames`, until the events are read: then it becomes its event in place.
   */
  private readonly rows: (TimelineEvent | number)[] = [];
  private readonly frames = new CompactColumns();
  /** Index of the first row that may still be a number. */
  private compactFrom = Infinity;
  /** `events` was read: from then on every row is an event. */
  private handedOut = false;
  /** Compact shapes whose strings the secrets leave alone, with the secret count they were checked at. */
  private readonly cleanShapes: number[] = [];
  /** Media events not kept because a cap was reached (the timeline never grows without bound). */
  dropped = 0;
  private listeners: TimelineListener[] = [];
  /** Secret values learnt from the calls' BXML: scrubbed from every event appended (webhooks/redact.ts). */
  readonly secrets = new SecretSet();
  private readonly mediaByCall = new Map<string, number>();
  private mediaKept = 0;
  private readonly drops = new Map<string, DropSummary>();
  private seqNext = 0;
  private readonly findings = new Map<string, TimelineEvent<"finding">>();
  /** Media "turns": the playAudio rows not yet decided, per call. */
  private readonly turnPlays?: Map<string, TurnPlays>;
  private lastTurnPlays?: { callId: string; tp: TurnPlays };

  constructor(
    readonly clock: Clock = realClock,
    private readonly maxEvents = DEFAULT_MAX_EVENTS,
    private readonly maxEventsPerCall = DEFAULT_MAX_EVENTS_PER_CALL,
    private readonly options: TimelineOptions = {},
  ) {
    if (options.media === "turns") {
      this.turnPlays = new Map();
    }
  }

  append<K extends TimelineKind>(
    kind: K,
    data: TimelineEventMap[K],
    opts: { lane?: Lane; callId?: string; t?: number } = {},
  ): TimelineEvent<K> {
    if (kind === "finding") {
      const same = this.repeatedFinding(data as TimelineEventMap["finding"], opts);
      if (same) {
        for (const l of this.listeners) l(same);
        return same as TimelineEvent as TimelineEvent<K>;
      }
    }
    const e: TimelineEvent<K> = {
      seq: this.seqNext++,
      t: opts.t ?? this.clock.nowUs(),
      lane: opts.lane ?? "carrier",
      kind,
      callId: opts.callId,
      data: this.secrets.scrub(data),
    };
    if (kind === "finding") this.findings.set(findingKey(data as TimelineEventMap["finding"], opts.callId), e as TimelineEvent<"finding">);
    if (this.turnPlays) this.noteTurnEnd(e as TimelineEvent);
    if (!isMediaEvent(kind, data)) this.rows.push(e as TimelineEvent);
    else if (this.keepMedia(opts.callId)) this.rows.push(e as TimelineEvent);
    else this.noteDrop(e as TimelineEvent);
    for (const l of this.listeners) l(e as TimelineEvent);
    return e;
  }

  /** Counts a media event of this call against the caps; false when a cap is reached (the event is dropped). */
  private keepMedia(callId: string | undefined): boolean {
    const key = callId ?? "";
    const n = this.mediaByCall.get(key) ?? 0;
    if (this.mediaKept >= this.maxEvents || n >= this.maxEventsPerCall) return false;
    this.mediaByCall.set(key, n + 1);
    this.mediaKept++;
    return true;
  }

  /** What every compact event of one kind on one stream shares, for `appendCompact` (timeline-frames.ts). */
  compactShape(spec: CompactSpec): CompactShape {
    if (spec.kind === "ws.frame" && (spec.eventType === "start" || spec.eventType === "stop")) throw new Error(`compactShape: ${spec.eventType} frames are kept with their text`);
    return this.frames.shape(spec);
  }

  /**
   * A summarised media frame or an `audio.queued`: the event `append` would record for the shape and
   * its two numbers (timeline-frames.ts), kept as numbers until read. `at`: when it happened, on this
   * timeline's clock (default now), e.g. a frame's arrival stamped before it was parsed. Returns its seq.
   */
  appendCompact(shape: CompactShape, a: number, b?: number, at?: number): number {
    if (this.turnPlays && shape.kind === "ws.frame" && shape.direction === "out") {
      const seq = this.seqNext++;
      if (this.listeners.length) {
        const e: TimelineEvent = { seq, t: at ?? this.clock.nowUs(), lane: shape.lane, kind: shape.kind, callId: shape.callId, data: this.secrets.scrub(compactData(shape, a, b)) };
        for (const l of this.listeners) l(e);
      }
      return seq;
    }
    // Live subscribers get the event itself; once `events` was handed out (a reader may hold the
    // array), events go in as objects; one the secrets would change is kept as scrubbed.
    if (this.listeners.length || this.handedOut || !this.scrubFree(shape, b)) {
      return this.append(shape.kind, compactData(shape, a, b), { lane: shape.lane, callId: shape.callId, t: at }).seq;
    }
    const seq = this.seqNext++;
    const t = at ?? this.clock.nowUs();
    if (this.turnPlays && (shape.kind === "audio.queued" || shape.eventType === "playAudio")) {
      const tp = this.turnPlaysOf(shape.callId);
      // An audio.queued with no playAudio of its own pending is let go: nothing reads it.
      if (shape.kind === "audio.queued") tp.queue(t, seq, shape, a, b ?? 0);
      else tp.play(t, seq, shape, a, this.keepPlay);
      return seq;
    }
    this.keepCompact(this.frames.push(t, seq, shape, a, b));
    return seq;
  }

  /** A compact row goes on the timeline (or is dropped and released when a cap is reached). */
  private keepCompact(i: number): void {
    if (this.keepMedia(this.frames.callIdOf(i))) {
      if (this.compactFrom === Infinity) this.compactFrom = this.rows.length;
      this.rows.push(i);
    } else {
      this.noteDrop(this.frames.event(i));
      this.frames.release(i);
    }
  }

  /** A decided playAudio or its audio.queued is kept: inserted among the rows at its seq. */
  private readonly keepPlay: KeepRow = (t, seq, shape, a, b) => {
    const i = this.frames.push(t, seq, shape, a, b);
    if (!this.keepMedia(shape.callId)) {
      this.noteDrop(this.frames.event(i));
      this.frames.release(i);
      return;
    }
    let k = this.rows.length;
    while (k > 0 && this.rowSeq(this.rows[k - 1]) > seq) k--;
    this.rows.splice(k, 0, i);
    this.compactFrom = Math.min(this.compactFrom, k);
  };

  private rowSeq(r: TimelineEvent | number): number {
    return typeof r === "number" ? this.frames.seqOf(r) : r.seq;
  }

  /** Media "turns": the instants a caller utterance ended select the playAudio rows kept. */
  private noteTurnEnd(e: TimelineEvent): void {
    if (e.kind === "caller.utterance") {
      const d = e.data as TimelineEventMap["caller.utterance"];
      if (d.phase === "end") this.turnPlaysOf(e.callId ?? "").anchor(e.t);
    } else if (e.kind === "caller.speech-end") {
      const d = e.data as TimelineEventMap["caller.speech-end"];
      const at = d.sentUs[d.frame - d.fromFrame];
      if (at !== undefined) this.turnPlaysOf(e.callId ?? "").anchor(at);
    }
  }

  private turnPlaysOf(callId: string): TurnPlays {
    // A load call's timeline holds one call: its rows ask for the same entry 100 times a second.
    if (this.lastTurnPlays?.callId === callId) return this.lastTurnPlays.tp;
    let tp = this.turnPlays!.get(callId);
    if (!tp) this.turnPlays!.set(callId, (tp = new TurnPlays()));
    this.lastTurnPlays = { callId, tp };
    return tp;
  }

  /** Before any read: every playAudio row still pending is kept. */
  private flushTurnPlays(): void {
    if (!this.turnPlays) return;
    for (const tp of this.turnPlays.values()) tp.flush(this.keepPlay);
  }

  /** Whether scrubbing this event's data would change nothing (always, unless a secret is a stream id, a word or all digits). */
  private scrubFree(shape: CompactShape, b: number | undefined): boolean {
    const s = this.secrets;
    // By shape id (ids are this timeline's, from 0): read for every compact event.
    if (this.cleanShapes[shape.id] !== s.size) {
      if (compactStrings(shape).some((v) => s.scrubText(v) !== v)) return false;
      this.cleanShapes[shape.id] = s.size;
    }
    // A media frame's sequence number is the one string that varies.
    if (s.size === 0 || shape.kind !== "ws.frame" || shape.track === undefined) return true;
    const seq = String(b ?? 0);
    return s.scrubText(seq) === seq;
  }

  /**
   * Every event kept, in seq order: the same array at every read. Compact frames become their events
   * here, once; frames appended after a read go in as events (whoever holds the array sees them).
   */
  get events(): TimelineEvent[] {
    this.flushTurnPlays();
    const rows = this.rows;
    this.handedOut = true;
    if (this.compactFrom !== Infinity) {
      for (let i = this.compactFrom; i < rows.length; i++) {
        const r = rows[i];
        if (typeof r !== "number") continue;
        rows[i] = this.frames.event(r);
        this.frames.release(r);
      }
      this.compactFrom = Infinity;
    }
    return rows as TimelineEvent[];
  }

  /** A finding identical to one already kept: that one's count and last occurrence are updated instead. */
  private repeatedFinding(f: TimelineEventMap["finding"], opts: { callId?: string; t?: number }): TimelineEvent<"finding"> | undefined {
    const first = this.findings.get(findingKey(f, opts.callId));
    if (!first) return undefined;
    first.data.count = (first.data.count ?? 1) + 1;
    first.data.lastT = opts.t ?? this.clock.nowUs();
    if (f.evidence) first.data.lastEvidence = f.evidence;
    return first;
  }

  private noteDrop(e: TimelineEvent): void {
    this.dropped++;
    for (const key of ["", ...(e.callId !== undefined ? [e.callId] : [])]) {
      let d = this.drops.get(key);
      if (!d) this.drops.set(key, (d = { events: 0, byKind: {}, firstT: e.t }));
      const sub = e.kind === "ws.frame" ? `ws.frame:${(e.data as { eventType?: string }).eventType ?? "other"}` : e.kind;
      d.events++;
      d.byKind[sub] = (d.byKind[sub] ?? 0) + 1;
      d.lastT = e.t;
    }
  }

  /** What was dropped, over the whole timeline or for one call; undefined when nothing was. */
  dropSummary(callId?: string): DropSummary | undefined {
    const d = this.drops.get(callId ?? "");
    return d ? { ...d, byKind: { ...d.byKind } } : undefined;
  }

  /** One call's events as a Timeline of their own (seqs and that call's drop counts kept). */
  slice(callId: string): Timeline {
    this.flushTurnPlays();
    const t = new Timeline(this.clock, this.maxEvents, this.maxEventsPerCall, this.options);
    // Rows, not `events`: reading `events` would end compact storage for the whole timeline.
    for (const r of this.rows) {
      if (typeof r !== "number") {
        if (r.callId === callId) t.rows.push(r);
      } else if (this.frames.callIdOf(r) === callId) t.rows.push(this.frames.event(r));
    }
    const d = this.drops.get(callId);
    if (d) {
      t.dropped = d.events;
      t.drops.set("", { ...d, byKind: { ...d.byKind } });
      t.drops.set(callId, { ...d, byKind: { ...d.byKind } });
    }
    t.seqNext = this.seqNext;
    return t;
  }

  /**
   * Drop every event of these calls (a long-running `bwemu serve` forgets its oldest ended calls, so
   * the timeline stays bounded). Their media no longer counts against the caps.
   */
  forget(callIds: ReadonlySet<string>): void {
    if (!callIds.size) return;
    this.flushTurnPlays();
    let w = 0;
    const rows = this.rows;
    this.compactFrom = Infinity;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const callId = typeof r === "number" ? this.frames.callIdOf(r) : r.callId;
      if (callId === undefined || !callIds.has(callId)) {
        if (typeof r === "number" && this.compactFrom === Infinity) this.compactFrom = w;
        rows[w++] = r;
      } else if (typeof r === "number") this.frames.release(r);
    }
    rows.length = w;
    for (const id of this.frames.forgetShapes(callIds)) this.cleanShapes[id] = -1;
    for (const id of callIds) {
      this.mediaKept -= this.mediaByCall.get(id) ?? 0;
      this.mediaByCall.delete(id);
      this.drops.delete(id);
    }
    for (const [k, f] of this.findings) if (f.callId !== undefined && callIds.has(f.callId)) this.findings.delete(k);
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

  /**
   * The JSONL lines, one at a time (a flood's timeline is larger than one string may be), ending
   * with a `timeline.dropped` line when a cap left events out.
   */
  *jsonLines(): Generator<string> {
    this.flushTurnPlays();
    // Compact frames are written without being kept as objects (a long timeline stays small).
    for (const r of this.rows) yield JSON.stringify(typeof r === "number" ? this.frames.event(r) : r) + "\n";
    const d = this.dropSummary();
    if (d) yield JSON.stringify({ seq: this.seqNext, t: d.lastT, lane: "harness", kind: "timeline.dropped", data: d }) + "\n";
  }

  /** Small timelines only (tests); files are written with `writeLines` from `jsonLines()`. */
  toJSONL(): string {
    return [...this.jsonLines()].join("");
  }
}
