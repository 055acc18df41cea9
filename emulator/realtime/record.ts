// What the stub observed and did, per session (spec §12.3.1–§12.3.2; issue 4 "Records every client
// event with timestamps and exposes, for each turn, its own timestamps"). Live objects: the session
// core writes them as it goes; cases and latency code read them at any time. All times are µs on the
// stub's injected monotonic clock (never compared with carrier timestamps, §12.3.1).

import type { StubTurnLike } from "../latency/types.js";
import type { Timeline } from "../timeline.js";

declare module "../timeline.js" {
  interface TimelineEventMap {
    /** One Realtime frame seen by the stub (`in` = from the client). Audio is summarised as a byte count. */
    "stub.event": { sessionId: string; direction: "in" | "out"; type: string; eventId?: string; bytes?: number; code?: string };
    /** A stub session opened or closed. */
    "stub.session": { sessionId: string; phase: "open" | "close"; dialect: "ga" | "beta"; model: string; closedBy?: "client" | "stub"; code?: number };
    /** A turn's stub-side timestamps, appended when its first reply audio went out or it ended without. */
    "stub.turn": { sessionId: string } & StubTurn;
  }
}

/**
 * One caller turn and the response that answered it (§12.3.2). Index 0 is the greeting (a response
 * created before any caller audio, §8.4), utterances count from 1 in the order the stub detected them
 * (VAD) or the client committed them (manual turns), matching the carrier's utterance n (§12.3.4).
 */
export interface StubTurn extends StubTurnLike {
  /** The user item of the turn (for the greeting: the assistant item of its reply). */
  itemId: string;
  responseId?: string;
  /** Output audio bytes sent for this turn's response(s). */
  audioBytesSent: number;
  /** Added: how the turn began. */
  kind?: "greeting" | "vad" | "manual";
  /** Added: `speech_started.audio_start_ms` / `speech_stopped.audio_end_ms` on the input timeline. */
  audioStartMs?: number;
  audioEndMs?: number;
}

export interface StubSessionRecord {
  id: string;
  dialect: "ga" | "beta";
  openedUs: number;
  closedUs?: number;
  closedBy?: "client" | "stub";
  closeCode?: number;
  model: string;
  /** Canonical input/output format ("pcmu" | "pcma" | "pcm16") last declared by a `session.update`; undefined = never declared. */
  inputFormat?: string;
  outputFormat?: string;
  /** Every `session` payload the client sent (accepted or refused). */
  sessionUpdates: unknown[];
  /** The concatenated appended audio bytes (as appended; up to the recording cap). */
  appendedAudio(): Uint8Array;
  /** Added: every output audio byte sent in deltas, in order (the output format; up to the recording cap). */
  sentAudio(): Uint8Array;
  appendCount: number;
  /** Client events; appends are summarised as `{type, event_id, bytes}` (their audio is in appendedAudio()). */
  clientEvents: { t: number; type: string; event: unknown }[];
  /** Server events; audio deltas are summarised as `{bytes, response_id, item_id}`. */
  serverEvents: { t: number; type: string; summary?: unknown }[];
  turns: StubTurn[];
  truncates: { t: number; itemId: string; audioEndMs: number; accepted: boolean }[];
  errors: { t: number; code?: string; message: string }[];
  /** Upgrade request headers, credentials redacted. */
  headers: Record<string, string>;
  /** Added: events not kept once the per-session cap was reached. */
  droppedEvents?: number;
  /** Added: appended bytes not kept because the recording cap was reached. */
  droppedAudioBytes?: number;
}

export const MAX_RECORDED_EVENTS = 400_000;
/**
 * Client events are kept whole while their frames total at most this; later ones are kept as
 * `{type, event_id, bytes}` summaries, so a session of huge non-audio events stays bounded too.
 */
export const MAX_RECORDED_EVENT_BYTES = 16 * 1024 * 1024;
/** What an event summary or a server event costs in memory, roughly (for the retention byte count). */
const EVENT_OVERHEAD_BYTES = 160;

/** The mutable record the session core writes. */
export class SessionRecorder implements StubSessionRecord {
  dialect: "ga" | "beta";
  openedUs: number;
  closedUs?: number;
  closedBy?: "client" | "stub";
  closeCode?: number;
  inputFormat?: string;
  outputFormat?: string;
  sessionUpdates: unknown[] = [];
  appendCount = 0;
  clientEvents: { t: number; type: string; event: unknown }[] = [];
  serverEvents: { t: number; type: string; summary?: unknown }[] = [];
  turns: StubTurn[] = [];
  truncates: { t: number; itemId: string; audioEndMs: number; accepted: boolean }[] = [];
  errors: { t: number; code?: string; message: string }[] = [];
  droppedEvents = 0;
  droppedAudioBytes = 0;
  /** Frame bytes of the client events kept whole. */
  private eventBytes = 0;
  /** The last client event was kept whole (its payload may be kept elsewhere too). */
  private lastWhole = true;

  constructor(
    readonly id: string,
    dialect: "ga" | "beta",
    public model: string,
    readonly headers: Record<string, string>,
    openedUs: number,
    private readonly audio: () => Uint8Array,
    private readonly sent: () => Uint8Array,
    private readonly timeline?: Timeline,
    private readonly onChange?: () => void,
    /** Bytes of audio held (appended + sent), without copying it. */
    private readonly audioBytes: () => number = () => audio().length + sent().length,
  ) {
    this.dialect = dialect;
    this.openedUs = openedUs;
  }

  appendedAudio(): Uint8Array {
    return this.audio();
  }

  sentAudio(): Uint8Array {
    return this.sent();
  }

  private room(): boolean {
    if (this.clientEvents.length + this.serverEvents.length < MAX_RECORDED_EVENTS) return true;
    this.droppedEvents++;
    return false;
  }

  client(t: number, type: string, event: unknown, bytes?: number): void {
    const eventId = (event as { event_id?: unknown })?.event_id;
    if (this.room()) {
      // An append is recorded as a summary (its audio is counted as audio).
      const weight = type === "input_audio_buffer.append" ? 0 : (bytes ?? 0);
      const whole = this.eventBytes + weight <= MAX_RECORDED_EVENT_BYTES;
      if (whole) this.eventBytes += weight;
      this.lastWhole = whole;
      this.clientEvents.push({ t, type, event: whole ? event : { type, event_id: eventId, bytes, summarised: true } });
    }
    this.timeline?.append(
      "stub.event",
      { sessionId: this.id, direction: "in", type, eventId: typeof eventId === "string" ? eventId : undefined, bytes },
      { lane: "stub", t },
    );
    this.onChange?.();
  }

  server(t: number, type: string, summary: unknown, bytes?: number, code?: string): void {
    if (this.room()) this.serverEvents.push({ t, type, summary });
    const eventId = (summary as { event_id?: unknown })?.event_id;
    this.timeline?.append(
      "stub.event",
      { sessionId: this.id, direction: "out", type, eventId: typeof eventId === "string" ? eventId : undefined, bytes, code },
      { lane: "stub", t },
    );
    this.onChange?.();
  }

  turnDone(turn: StubTurn, t: number): void {
    this.timeline?.append("stub.turn", { sessionId: this.id, ...turn }, { lane: "stub", t });
    this.onChange?.();
  }

  opened(): void {
    this.timeline?.append("stub.session", { sessionId: this.id, phase: "open", dialect: this.dialect, model: this.model }, { lane: "stub", t: this.openedUs });
    this.onChange?.();
  }

  closed(t: number, by: "client" | "stub", code: number): void {
    if (this.closedUs !== undefined) return;
    this.closedUs = t;
    this.closedBy = by;
    this.closeCode = code;
    this.timeline?.append("stub.session", { sessionId: this.id, phase: "close", dialect: this.dialect, model: this.model, closedBy: by, code }, { lane: "stub", t });
    this.onChange?.();
  }

  /** Keep the `session` payload of the update just recorded (a marker once the event budget is spent). */
  sessionUpdate(payload: unknown): void {
    this.sessionUpdates.push(this.lastWhole ? structuredClone(payload) : { summarised: true });
  }

  /** Roughly the memory this record holds: audio, events kept whole, and per-event overhead. */
  footprint(): number {
    return this.audioBytes() + this.eventBytes + (this.clientEvents.length + this.serverEvents.length) * EVENT_OVERHEAD_BYTES;
  }

  /** A plain-data copy (JSON-safe, without the audio) for run exports. */
  toJSON(): Omit<StubSessionRecord, "appendedAudio" | "sentAudio"> & { appendedAudioBytes: number; sentAudioBytes: number } {
    const { audio: _a, sent: _s, timeline: _t, onChange: _o, audioBytes: _b, eventBytes: _e, lastWhole: _w, ...rest } = this as unknown as Record<string, unknown>;
    return { ...(rest as unknown as Omit<StubSessionRecord, "appendedAudio" | "sentAudio">), appendedAudioBytes: this.audio().length, sentAudioBytes: this.sent().length };
  }
}
