// The transport-free Realtime session core (spec §2.4, §4, §6, §7, §8, §9, §12.3.2). Fed client frames
// (strings) in arrival order, it emits server frames through a callback, on an injected clock, with
// seeded ids: the same input gives the same output. Mounted by `server.ts` (ws) and `msw.ts`.
//
// Processing is synchronous per frame, so arrival order is processing order (§2.4); only responses
// (think time, real-time pacing), the session cap and timed faults run later, on the clock.

import type { Clock } from "../clock.js";
import { realClock } from "../clock.js";
import type { Timeline } from "../timeline.js";
import {
  checkBetaSessionUpdate, checkGaSessionUpdate, checkItem, checkResponseOptions, decodeBase64Strict, invalidValue,
  isObject, parseClientEvent, audioFormatFromAny,
  type BetaSession, type ClientEvent, type Dialect, type GaSession, type RealtimeItem, type RealtimeWireError,
} from "../protocol/realtime.js";
import { applyUpdate, betaDefaults, declaredFormats, effective, gaDefaults, type Effective } from "./config.js";
import { Conversation, type ConvItem } from "./conversation.js";
import { IdGenerator } from "./ids.js";
import { SessionRecorder, type StubTurn } from "./record.js";
import { ResponseRun, type ResponseHost } from "./response.js";
import { pickTurn, type LoadedScript, type ResolvedTurn } from "./script.js";
import { EnergyVad, type VadEvent, type VadSettings } from "./vad.js";
import { concat, decodeAudio, encodeAudio, InputStore, msOf, speechLikeSignal } from "./audio.js";
import { appliesTo, type StubFault } from "./faults.js";

export const MIB = 1024 * 1024;

export interface RealtimeSessionOptions {
  dialect: Dialect;
  /** `model` query parameter (any string, echoed; §2.1). */
  model: string;
  clock?: Clock;
  script: LoadedScript;
  vad: VadSettings;
  /** Session cap (§9.4), default 60 min. */
  sessionMaxMs?: number;
  faults?: StubFault[];
  /** 1-based connection order (for `fault.session`). */
  sessionIndex?: number;
  /** Live behaviour since 2026-05-12 for beta clients (§1.3). */
  rejectBeta?: boolean;
  headers?: Record<string, string>;
  /** Seed for ids (§7.1 "Stub ids"). */
  seed?: number;
  timeline?: Timeline;
  /** Client frames above this get an `error` (≥ 21 MiB required, §10). Default 24 MiB. */
  maxClientFrameBytes?: number;
  /** Decoded audio per append (§10: 15 MiB). */
  maxAppendBytes?: number;
  /** Appended bytes kept for `appendedAudio()`. Default 64 MiB. */
  maxRecordedAudioBytes?: number;
  /** Server frames are kept under this (§10: Python `websockets` clients refuse > 1 MiB). */
  maxServerFrameBytes?: number;
  /** Add GA `obfuscation` padding to transcript deltas like live (§3.2). Default true. */
  obfuscation?: boolean;
  /** Transport: send one text frame. */
  send(frame: string): void;
  /**
   * Hand everything sent so far to the network now. A transport may hold frames sent in one
   * synchronous burst and write them together (one segment, one wake-up of the client); the stub
   * flushes at each audio delta, so the first one is never held behind what follows it.
   */
  flush?(): void;
  /** Transport: close the socket (abrupt = no close frame). */
  close(code: number, reason: string, abrupt: boolean): void;
  /** Called after anything was recorded (waiters re-check their predicates). */
  onChange?(): void;
  /** One-line log (never secrets). */
  log?(line: string): void;
}

type Frame = { text?: string; binary?: boolean; bytes: number; t: number };

/** An utterance being spoken or awaiting its response. */
interface OpenTurn { turn: StubTurn; fromMs: number; toMs?: number }

export class RealtimeSession implements ResponseHost {
  readonly dialect: Dialect;
  readonly ids: IdGenerator;
  readonly record: SessionRecorder;
  readonly conversationId: string;
  readonly obfuscation: boolean;
  private readonly clock: Clock;
  private readonly o: RealtimeSessionOptions;
  private session: GaSession | BetaSession;
  private eff: Effective;
  private readonly conv = new Conversation();
  private readonly input: InputStore;
  private readonly vad: EnergyVad;
  private ready = false;
  private closed = false;
  private readonly queue: Frame[] = [];
  private readonly timers = new Set<() => void>();
  /** Where the uncommitted input buffer starts on the input timeline (ms). */
  private commitPointMs = 0;
  private speaking?: OpenTurn;
  private awaiting?: OpenTurn;
  private utterances = 0;
  private scriptCursor = 0;
  private responsesStarted = 0;
  private active?: ResponseRun;
  private autoPending = false;
  /** VAD hangover in force when a turn began (part of K*, §12.3.3). */
  private readonly hangoverOf = new WeakMap<StubTurn, number>();
  private readonly outOfBand = new Set<ResponseRun>();
  private lastReply?: { firstUs: number; audioMs: number };
  private firstAudioSent = false;
  private readonly sentChunks: Uint8Array[] = [];
  private sentBytes = 0;
  private tokensUsed = 0;
  private idleCancel?: () => void;
  private readonly faults: StubFault[];
  private readonly maxFrame: number;
  private readonly maxAppend: number;
  private readonly maxServerFrame: number;

  constructor(opts: RealtimeSessionOptions) {
    this.o = opts;
    this.dialect = opts.dialect;
    this.clock = opts.clock ?? realClock;
    this.ids = new IdGenerator(opts.seed ?? 1);
    this.obfuscation = opts.obfuscation ?? true;
    this.maxFrame = opts.maxClientFrameBytes ?? 24 * MIB;
    this.maxAppend = opts.maxAppendBytes ?? 15 * MIB;
    this.maxServerFrame = opts.maxServerFrameBytes ?? MIB - 4096;
    this.faults = (opts.faults ?? []).filter((f) => appliesTo(f, opts.sessionIndex ?? 1));
    this.input = new InputStore(opts.maxRecordedAudioBytes ?? 64 * MIB);
    this.vad = new EnergyVad(opts.vad);
    const sessId = this.ids.next("sess");
    this.conversationId = this.ids.next("conv");
    const capMs = opts.sessionMaxMs ?? 60 * 60_000;
    const defaults = {
      id: sessId,
      model: opts.model,
      expiresAt: Math.floor(this.clock.wallNow().getTime() / 1000 + capMs / 1000),
      instructions: opts.script.instructions,
      silenceDurationMs: opts.vad.defaultSilenceDurationMs,
    };
    this.session = opts.dialect === "ga" ? gaDefaults(defaults) : betaDefaults(defaults);
    this.eff = effective(this.session, this.dialect);
    this.record = new SessionRecorder(
      sessId, opts.dialect, opts.model, opts.headers ?? {}, this.clock.nowUs(),
      () => this.input.all(), () => concat(this.sentChunks), opts.timeline, opts.onChange,
      () => this.input.storedBytes + this.sentBytes,
    );
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  /** Call once the socket is open: sends `session.created` (or the beta rejection), arms the cap and faults. */
  start(): void {
    this.record.opened();
    if (this.dialect === "beta" && this.o.rejectBeta) {
      // Live since 2026-05-12 (§1.1, §1.3): one error, then close 4000.
      this.ready = true;
      this.sendError(
        { type: "invalid_request_error", code: "beta_api_shape_disabled", param: null, message: "The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API." },
        null,
      );
      this.closeByStub(4000, "beta_api_shape_disabled", false);
      return;
    }
    const delay = this.faults.find((f) => f.kind === "delay-session-created");
    const begin = () => {
      if (this.closed) return;
      this.emit({ type: "session.created", session: structuredClone(this.session) });
      this.ready = true;
      while (this.queue.length && !this.closed) this.process(this.queue.shift()!);
    };
    if (delay && delay.kind === "delay-session-created") this.after(delay.delayMs, begin);
    else begin();
    const capMs = this.o.sessionMaxMs ?? 60 * 60_000;
    this.after(capMs, () => this.expire(capMs));
    for (const f of this.faults) if ((f.kind === "error" || f.kind === "close") && f.atMs !== undefined) this.after(f.atMs, () => this.fire(f));
  }

  /** A client frame arrived (text, or a binary frame which the protocol does not allow). */
  receive(text: string | undefined, bytes: number, binary = false): void {
    if (this.closed) return;
    const frame: Frame = { text, binary, bytes, t: this.clock.nowUs() };
    if (!this.ready) this.queue.push(frame);
    else this.process(frame);
  }

  /** The client closed the socket (any code, §2.6): end quietly. */
  clientClosed(code: number): void {
    if (!this.closed) this.record.closed(this.clock.nowUs(), "client", code);
    this.shutdown();
  }

  /** The stub ends the session (server shutdown): close frame with `code`. */
  stop(code: number, reason: string): void {
    this.closeByStub(code, reason, false);
  }

  /** Stop timers; the transport is gone or going. */
  dispose(): void {
    this.shutdown();
  }

  private shutdown(): void {
    this.closed = true;
    for (const c of [...this.timers]) c();
    this.timers.clear();
    this.idleCancel?.();
  }

  private closeByStub(code: number, reason: string, abrupt: boolean): void {
    if (this.closed) return;
    this.record.closed(this.clock.nowUs(), "stub", code);
    this.shutdown();
    this.o.close(code, reason, abrupt);
  }

  private expire(capMs: number): void {
    const m = capMs / 60_000;
    const span = Number.isInteger(m) ? `${m} minute${m === 1 ? "" : "s"}` : `${+(capMs / 1000).toFixed(3)} seconds`;
    const message = `Your session hit the maximum duration of ${span}.`;
    this.sendError({ type: "invalid_request_error", code: "session_expired", param: null, message }, null);
    this.closeByStub(1001, message, false);
  }

  private fire(f: StubFault): void {
    if (this.closed) return;
    if (f.kind === "error") {
      this.sendError({ type: (f.errorType ?? "server_error") as "invalid_request_error", code: f.code ?? "server_error", param: null, message: f.message ?? "The server had an error while processing your request. (bwemu injected fault)" }, null);
    } else if (f.kind === "close") {
      this.closeByStub(f.code ?? 1011, f.reason ?? "bwemu injected upstream drop", f.abrupt ?? false);
    }
  }

  // ---- ResponseHost --------------------------------------------------------------------------

  nowUs(): number {
    return this.clock.nowUs();
  }

  after(ms: number, fn: () => void): () => void {
    if (ms <= 0) {
      fn();
      return () => {};
    }
    let cancelled = false;
    let cancel: () => void;
    if (this.clock === realClock) {
      // setTimeout overflows above 2^31−1 ms (it would fire at once): clamp to ~24.8 days.
      const h = setTimeout(() => {
        this.timers.delete(cancel);
        if (!cancelled && !this.closed) this.guard(fn);
      }, Math.min(ms, 2_147_483_647));
      cancel = () => {
        cancelled = true;
        clearTimeout(h);
        this.timers.delete(cancel);
      };
    } else {
      cancel = () => {
        cancelled = true;
        this.timers.delete(cancel);
      };
      void this.clock.sleepUs(ms * 1000).then(() => {
        this.timers.delete(cancel);
        if (!cancelled && !this.closed) this.guard(fn);
      });
    }
    this.timers.add(cancel);
    return cancel;
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.internalError(e);
    }
  }

  /** Send one server event; returns the instant it was handed to the transport (§12.3.1 "sends"). */
  emit(ev: Record<string, unknown>): number {
    if (this.closed) return this.clock.nowUs();
    let full = { type: ev.type, event_id: this.ids.next("event"), ...ev } as Record<string, unknown>;
    let text = JSON.stringify(full);
    if (text.length > this.maxServerFrame / 3 && Buffer.byteLength(text) > this.maxServerFrame) {
      // Never exceed the client's limit (§10): report the problem instead of sending the frame.
      this.o.log?.(`stub: ${String(ev.type)} would be ${Buffer.byteLength(text)} bytes; sent an error instead`);
      full = this.errorEvent(invalidValue(null, `Server event ${String(ev.type)} exceeds the stub's frame limit of ${this.maxServerFrame} bytes; not sent.`), null);
      text = JSON.stringify(full);
    }
    let t = this.clock.nowUs();
    this.o.send(text);
    const type = String(full.type);
    if (type.endsWith("audio.delta")) {
      // §12.3.1 "sends": the instant the delta (and what preceded it in the burst) is handed to the
      // socket: stamped as the write starts, so the client's receipt can never precede it.
      t = this.clock.nowUs();
      this.o.flush?.();
      const bytes = Math.floor(((full.delta as string).length * 3) / 4);
      this.record.server(t, type, { event_id: full.event_id, response_id: full.response_id, item_id: full.item_id, bytes }, bytes);
    } else if (type === "error") {
      const e = full.error as { code: string | null; message: string };
      this.record.errors.push({ t, code: e.code ?? undefined, message: e.message });
      this.record.server(t, type, full, undefined, e.code ?? undefined);
    } else this.record.server(t, type, full);
    return t;
  }

  addItem(ci: ConvItem): string | null {
    return this.conv.insert(ci) ?? null;
  }

  inputTokens(): { text: number; audio: number } {
    let audioMs = 0;
    let chars = this.eff.instructions.length;
    for (const ci of this.conv.items) {
      if (ci.inputRange) audioMs += ci.inputRange.toMs - ci.inputRange.fromMs;
      if (ci.audio) audioMs += msOf(ci.audio.bytes, ci.audio.format);
      chars += JSON.stringify(ci.item.content ?? ci.item.arguments ?? ci.item.output ?? "").length;
    }
    return { text: Math.ceil(chars / 4), audio: Math.ceil(audioMs / 100) };
  }

  rateLimits(total: number): Record<string, unknown>[] {
    this.tokensUsed += total;
    const limit = 40000;
    const remaining = Math.max(0, limit - this.tokensUsed);
    return [{ name: "tokens", limit, remaining, reset_seconds: +(((limit - remaining) / limit) * 60).toFixed(3) }];
  }

  audioSent(run: ResponseRun, bytes: number, chunk?: Uint8Array): void {
    this.firstAudioSent = true;
    if (chunk && this.sentBytes + chunk.length <= (this.o.maxRecordedAudioBytes ?? 64 * MIB)) {
      this.sentChunks.push(chunk);
      this.sentBytes += chunk.length;
    }
    const turn = run.plan.turn;
    if (!turn) return;
    if (turn.itemId === "") turn.itemId = run.messageItemId ?? "";
    turn.audioBytesSent += bytes;
    if (turn.sFirstUs === undefined) {
      turn.sFirstUs = run.firstAudioUs;
      turn.responseId = run.id;
      this.record.turnDone(turn, turn.sFirstUs!);
    }
  }

  finished(run: ResponseRun): void {
    if (this.active === run) this.active = undefined;
    this.outOfBand.delete(run);
    const turn = run.plan.turn;
    if (turn) {
      if (turn.itemId === "") turn.itemId = run.messageItemId ?? "";
      turn.responseId ??= run.id;
      if (run.status === "cancelled") turn.cancelled = true;
      if (turn.sFirstUs === undefined) this.record.turnDone(turn, this.clock.nowUs());
    }
    if (run.firstAudioUs !== undefined) this.lastReply = { firstUs: run.firstAudioUs, audioMs: run.audioMs };
    if (run.inConversation) this.armIdleTimeout(run);
    // A VAD turn that ended while this response ran (interrupt_response off) is answered now.
    if (run.inConversation && this.autoPending && this.awaiting && !this.closed) {
      const open = this.awaiting;
      this.awaiting = undefined;
      this.autoPending = false;
      this.startResponse({ turn: open.turn });
    }
  }

  // ---- frames ------------------------------------------------------------------------------

  private process(frame: Frame): void {
    try {
      this.handle(frame);
    } catch (e) {
      this.internalError(e);
    }
  }

  /** A stub bug must never take the process down or blame the bridge: one server_error, socket open. */
  private internalError(e: unknown): void {
    const msg = e instanceof Error ? e.message : String(e);
    this.o.log?.(`stub internal error: ${e instanceof Error ? e.stack : msg}`);
    try {
      this.sendError({ type: "server_error" as "invalid_request_error", code: "server_error", param: null, message: `bwemu stub internal error: ${msg}` }, null);
    } catch {
      // nothing more we can do
    }
  }

  private handle(frame: Frame): void {
    if (this.closed) return;
    if (frame.binary) {
      this.record.client(frame.t, "(binary)", { bytes: frame.bytes }, frame.bytes);
      this.sendError(invalidValue(null, "Binary frames are not supported: send each client event as one JSON text frame."), null);
      return;
    }
    if (frame.bytes > this.maxFrame) {
      this.record.client(frame.t, "(oversized)", { bytes: frame.bytes }, frame.bytes);
      this.sendError(invalidValue(null, `Client event of ${frame.bytes} bytes exceeds the maximum of ${this.maxFrame} bytes.`), sniffEventId(frame.text ?? ""));
      return;
    }
    const parsed = parseClientEvent(frame.text ?? "");
    if (!parsed.ok) {
      this.record.client(frame.t, "(invalid)", { text: (frame.text ?? "").slice(0, 200) }, frame.bytes);
      this.sendError(parsed.error, parsed.eventId ?? null);
      return;
    }
    const ev = parsed.value;
    const eid = ev.event_id ?? null;
    if (ev.type === "input_audio_buffer.append") {
      this.record.client(frame.t, ev.type, { type: ev.type, event_id: ev.event_id, bytes: Math.floor((ev.audio.length * 3) / 4) }, frame.bytes);
    } else this.record.client(frame.t, ev.type, ev, frame.bytes);
    this.dispatch(ev, eid, frame.t);
  }

  private dispatch(ev: ClientEvent, eid: string | null, t: number): void {
    switch (ev.type) {
      case "session.update": return this.onSessionUpdate(ev.session, eid);
      case "input_audio_buffer.append": return this.onAppend(ev.audio, eid, t);
      case "input_audio_buffer.commit": return this.onCommit(eid, t);
      case "input_audio_buffer.clear": return this.onClear();
      case "conversation.item.create": return this.onItemCreate(ev.item, ev.previous_item_id, eid);
      case "conversation.item.retrieve": return this.onRetrieve(ev.item_id, eid);
      case "conversation.item.truncate": return this.onTruncate(ev.item_id, ev.content_index, ev.audio_end_ms, eid, t);
      case "conversation.item.delete": return this.onDelete(ev.item_id, eid);
      case "response.create": return this.onResponseCreate(ev.response ?? undefined, eid);
      case "response.cancel": return this.onResponseCancel(ev.response_id, eid);
      case "output_audio_buffer.clear":
        return this.sendError(invalidValue("type", "output_audio_buffer.clear is only supported for WebRTC and SIP sessions, not over WebSocket."), eid);
      case "transcription_session.update":
        return this.sendError(
          this.dialect === "ga"
            ? invalidValue("type", "Invalid value: 'transcription_session.update'. Use session.update with session.type 'transcription' on a transcription session.")
            : invalidValue("type", "Passing a transcription session update event to a realtime session is not allowed."),
          eid,
        );
    }
  }

  private errorEvent(e: RealtimeWireError, eid: string | null): Record<string, unknown> {
    return { type: "error", event_id: this.ids.next("event"), error: { type: e.type, code: e.code, message: e.message, param: e.param, event_id: eid } };
  }

  private sendError(e: RealtimeWireError, eid: string | null): void {
    this.emit({ type: "error", error: { type: e.type, code: e.code, message: e.message, param: e.param, event_id: eid } });
  }

  // ---- session.update (§4.1) ------------------------------------------------------------------

  private onSessionUpdate(upd: Record<string, unknown>, eid: string | null): void {
    this.record.sessionUpdate(upd);
    const problem = this.dialect === "ga" ? checkGaSessionUpdate(upd) : checkBetaSessionUpdate(upd);
    if (problem) return this.sendError(problem, eid);
    const curTracing = (this.session as { tracing?: unknown }).tracing ?? null;
    if (curTracing !== null && upd.tracing !== undefined && JSON.stringify(upd.tracing) !== JSON.stringify(curTracing)) {
      // §4.1: tracing cannot be modified once enabled.
      return this.sendError(invalidValue("session.tracing", "Tracing cannot be modified once it has been enabled for a session."), eid);
    }
    const next = applyUpdate(this.session, upd, this.dialect, this.o.vad.defaultSilenceDurationMs);
    const nextEff = effective(next, this.dialect);
    if (this.firstAudioSent && JSON.stringify(nextEff.voice) !== JSON.stringify(this.eff.voice)) {
      // §4.1: voice is fixed after the first audio output.
      return this.sendError(invalidValue(this.dialect === "ga" ? "session.audio.output.voice" : "session.voice", "Cannot update a conversation's voice if assistant audio is present."), eid);
    }
    if (typeof upd.model === "string" && upd.model !== this.o.model) this.o.log?.(`stub: session.model '${upd.model}' differs from the URL model '${this.o.model}'; keeping the URL model`);
    const declared = declaredFormats(upd, this.dialect);
    if (declared.input) this.record.inputFormat = declared.input;
    if (declared.output) this.record.outputFormat = declared.output;
    const vadWasOn = this.eff.turnDetection !== null;
    this.session = next;
    this.eff = nextEff;
    if (vadWasOn && nextEff.turnDetection === null) {
      this.vad.reset();
      this.speaking = undefined;
    }
    this.emit({ type: "session.updated", session: structuredClone(this.session) });
  }

  // ---- input audio (§6, §7.2) -----------------------------------------------------------------

  private vadParams(): { prefixPaddingMs: number; silenceDurationMs: number } {
    const td = this.eff.turnDetection!;
    if (td.type === "server_vad") return { prefixPaddingMs: td.prefix_padding_ms, silenceDurationMs: td.silence_duration_ms };
    const h = this.o.vad.semanticHangoverMs?.[td.eagerness] ?? this.o.vad.defaultSilenceDurationMs;
    return { prefixPaddingMs: 300, silenceDurationMs: h };
  }

  private onAppend(audio: string, eid: string | null, t: number): void {
    const bytes = decodeBase64Strict(audio);
    if (!bytes) return this.sendError(invalidValue("audio", "Invalid 'audio': expected base64-encoded audio bytes."), eid);
    if (bytes.length > this.maxAppend)
      return this.sendError(invalidValue("audio", `Invalid 'audio': ${bytes.length} bytes exceeds the maximum of ${this.maxAppend} bytes (15 MiB) per append.`), eid);
    this.record.appendCount++;
    const format = this.eff.inputFormat;
    const { startMs, bytes: whole } = this.input.append(bytes, format);
    this.record.droppedAudioBytes = this.input.droppedBytes;
    if (this.eff.turnDetection === null || whole.length === 0) return;
    const events = this.vad.push(decodeAudio(whole, format), format === "pcm16" ? 24000 : 8000, startMs, this.vadParams(), t);
    for (const e of events) {
      if (this.closed) return;
      this.onVad(e);
    }
  }

  private onVad(e: VadEvent): void {
    const td = this.eff.turnDetection;
    if (!td) return;
    const params = this.vadParams();
    if (e.kind === "onset") {
      this.idleCancel?.();
      const now = this.clock.nowUs();
      const replying = this.active !== undefined;
      const playing = this.lastReply !== undefined && this.lastReply.firstUs + this.lastReply.audioMs * 1000 > now;
      const turn: StubTurn = {
        index: ++this.utterances,
        itemId: this.ids.next("item"),
        sOnUs: e.tag,
        configuredThinkMs: params.silenceDurationMs,
        cancelled: false,
        audioBytesSent: 0,
        bargeIn: replying || playing,
        kind: "vad",
        audioStartMs: Math.round(Math.max(this.commitPointMs, e.onsetMs - params.prefixPaddingMs)),
      };
      this.record.turns.push(turn);
      this.hangoverOf.set(turn, params.silenceDurationMs);
      this.speaking = { turn, fromMs: Math.max(this.commitPointMs, e.onsetMs - params.prefixPaddingMs) };
      turn.sStartedUs = this.emit({ type: "input_audio_buffer.speech_started", audio_start_ms: turn.audioStartMs, item_id: turn.itemId });
      // §8.3: barge-in cancels a default-conversation response in progress.
      if (td.interrupt_response && this.active) this.active.cancel("turn_detected");
      return;
    }
    const open = this.speaking;
    if (!open) return;
    this.speaking = undefined;
    const turn = open.turn;
    // §12.3.2 S_end: the append holding the last speech sample; the hangover's audio span (end of that
    // append → end of the one that completed the silence) is what a real-time sender takes to deliver it.
    turn.sEndUs = e.endTag;
    turn.speechEnd = { endMs: e.endMs, appendFromMs: e.endPush.fromMs, appendToMs: e.endPush.toMs };
    turn.hangover = { ms: params.silenceDurationMs, sUs: e.stopPush.tag, appendToMs: e.stopPush.toMs };
    turn.audioEndMs = Math.round(e.stopMs);
    open.toMs = e.stopMs;
    turn.sStoppedUs = this.emit({ type: "input_audio_buffer.speech_stopped", audio_end_ms: turn.audioEndMs, item_id: turn.itemId });
    this.commitUser(turn.itemId, open.fromMs, e.stopMs, turn);
    if (this.closed) return;
    if (td.create_response) {
      if (this.active) {
        // create_response with interrupt_response off: answered when the current response ends.
        this.awaiting = open;
        this.autoPending = true;
      } else this.startResponse({ turn, options: undefined });
    } else this.awaiting = open;
  }

  /** Commit [fromMs, toMs) as user item `itemId` (§8.1 steps 3–5), then input transcription if configured. */
  private commitUser(itemId: string, fromMs: number, toMs: number, turn?: StubTurn): void {
    this.commitPointMs = Math.max(this.commitPointMs, toMs);
    const item: RealtimeItem = { id: itemId, type: "message", status: "completed", role: "user", content: [{ type: "input_audio", transcript: null }] };
    if (this.dialect === "beta") item.object = "realtime.item";
    const prev = this.conv.insert({ item, inputRange: { fromMs, toMs } }) ?? null;
    this.emit({ type: "input_audio_buffer.committed", previous_item_id: prev, item_id: itemId });
    if (this.dialect === "ga") {
      this.emit({ type: "conversation.item.added", previous_item_id: prev, item: structuredClone(item) });
      this.emit({ type: "conversation.item.done", previous_item_id: prev, item: structuredClone(item) });
    } else this.emit({ type: "conversation.item.created", previous_item_id: prev, item: structuredClone(item) });
    if (this.eff.transcription) {
      const text = pickTurn(this.o.script, this.scriptCursor).callerTranscript;
      this.emit({ type: "conversation.item.input_audio_transcription.delta", item_id: itemId, content_index: 0, delta: text });
      this.emit({
        type: "conversation.item.input_audio_transcription.completed", item_id: itemId, content_index: 0, transcript: text,
        usage: { type: "duration", seconds: +((toMs - fromMs) / 1000).toFixed(3) },
      });
    }
    if (turn) for (const f of this.faults) if ((f.kind === "error" || f.kind === "close") && f.atTurn === turn.index) this.fire(f);
  }

  private onCommit(eid: string | null, t: number): void {
    const fromMs = this.commitPointMs;
    const toMs = this.input.endMs;
    const have = toMs - fromMs;
    if (have < 100) {
      return this.sendError(
        { type: "invalid_request_error", code: "input_audio_buffer_commit_empty", param: null, message: `Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has ${Math.max(0, have).toFixed(2)}ms of audio.` },
        eid,
      );
    }
    let open = this.speaking;
    this.speaking = undefined;
    this.vad.reset();
    if (!open) {
      const turn: StubTurn = {
        index: ++this.utterances, itemId: this.ids.next("item"), sEndUs: t, configuredThinkMs: 0, cancelled: false,
        audioBytesSent: 0, bargeIn: false, kind: "manual", audioStartMs: Math.round(fromMs), audioEndMs: Math.round(toMs),
      };
      this.record.turns.push(turn);
      open = { turn, fromMs };
    } else {
      open.turn.sEndUs ??= t;
      open.turn.audioEndMs = Math.round(toMs);
    }
    open.toMs = toMs;
    this.commitUser(open.turn.itemId, fromMs, toMs, open.turn);
    this.awaiting = open;
  }

  private onClear(): void {
    this.commitPointMs = this.input.endMs;
    this.vad.reset();
    this.speaking = undefined;
    this.emit({ type: "input_audio_buffer.cleared" });
  }

  // ---- conversation items (§7.2, §7.3) --------------------------------------------------------

  private onItemCreate(raw: Record<string, unknown>, previous: string | null | undefined, eid: string | null): void {
    const problem = checkItem(raw, this.dialect);
    if (problem) return this.sendError(problem, eid);
    const id = typeof raw.id === "string" ? raw.id : this.ids.next("item");
    if (this.conv.get(id)) return this.sendError(invalidValue("item.id", `Item with id '${id}' already exists.`), eid);
    if (previous !== undefined && previous !== null && previous !== "root" && !this.conv.get(previous))
      return this.sendError(invalidValue("previous_item_id", `Previous item with id '${previous}' not found.`), eid);
    if (raw.type === "function_call_output" && !this.conv.hasCall(raw.call_id as string))
      return this.sendError(invalidValue("item.call_id", `No function call with call_id '${String(raw.call_id)}' found in the conversation.`), eid);
    const item: RealtimeItem = { id, type: raw.type as RealtimeItem["type"], status: "completed" };
    if (this.dialect === "beta") item.object = "realtime.item";
    const ci: ConvItem = { item };
    if (raw.type === "message") {
      item.role = raw.role as RealtimeItem["role"];
      const content = raw.content as Record<string, unknown>[];
      ci.fullContent = structuredClone(content);
      // Reported without audio bytes (§5.2); input_audio keeps its transcript (or null).
      item.content = content.map((c) => (c.type === "input_audio" ? { type: "input_audio", transcript: typeof c.transcript === "string" ? c.transcript : null } : structuredClone(c)));
    } else if (raw.type === "function_call") {
      Object.assign(item, { call_id: raw.call_id, name: raw.name, arguments: raw.arguments });
    } else Object.assign(item, { call_id: raw.call_id, output: raw.output });
    const prev = this.conv.insert(ci, previous) ?? null;
    if (this.dialect === "ga") {
      this.emit({ type: "conversation.item.added", previous_item_id: prev, item: structuredClone(item) });
      this.emit({ type: "conversation.item.done", previous_item_id: prev, item: structuredClone(item) });
    } else this.emit({ type: "conversation.item.created", previous_item_id: prev, item: structuredClone(item) });
  }

  private notFound(param: string, id: string): RealtimeWireError {
    return invalidValue(param, `Item with item_id '${id}' not found.`);
  }

  private onRetrieve(id: string, eid: string | null): void {
    const ci = this.conv.get(id);
    if (!ci) return this.sendError(this.notFound("item_id", id), eid);
    const item = structuredClone(ci.item) as RealtimeItem;
    // Retrieve includes audio (§5.2), as long as the frame stays under the client limit (§10).
    const budget = Math.floor(((this.maxServerFrame - 4096) * 3) / 4);
    const b64 = (u: Uint8Array) => (u.length <= budget ? Buffer.from(u).toString("base64") : null);
    if (ci.inputRange) {
      item.content = [{ type: "input_audio", transcript: null, audio: b64(this.input.slice(ci.inputRange.fromMs, ci.inputRange.toMs, this.eff.inputFormat)) }];
    } else if (ci.audio && item.content?.[0]) {
      item.content[0] = { ...item.content[0], audio: b64(concat(ci.audio.chunks)) };
    } else if (ci.fullContent) item.content = structuredClone(ci.fullContent);
    this.emit({ type: "conversation.item.retrieved", item });
  }

  private onTruncate(id: string, contentIndex: number, audioEndMs: number, eid: string | null, t: number): void {
    const fail = (e: RealtimeWireError) => {
      this.record.truncates.push({ t, itemId: id, audioEndMs, accepted: false });
      this.sendError(e, eid);
    };
    const ci = this.conv.get(id);
    if (!ci) return fail(this.notFound("item_id", id));
    if (ci.item.type !== "message" || ci.item.role !== "assistant" || !ci.audio)
      return fail(invalidValue("item_id", `Only assistant messages with audio can be truncated; item '${id}' is a ${ci.item.role ?? ci.item.type} ${ci.item.type}.`));
    if (contentIndex !== 0) return fail(invalidValue("content_index", `Invalid 'content_index': item '${id}' has audio only at content_index 0.`));
    const haveMs = Math.floor(msOf(ci.audio.bytes, ci.audio.format));
    if (audioEndMs > haveMs) return fail(invalidValue("audio_end_ms", `Audio content of ${haveMs}ms is already shorter than ${audioEndMs}ms`));
    const keep = Math.floor(audioEndMs * (ci.audio.format === "pcm16" ? 48 : 8));
    const all = concat(ci.audio.chunks).subarray(0, keep);
    ci.audio.chunks = [all];
    ci.audio.bytes = all.length;
    // The server drops the item's transcript text (§7.2).
    const part = ci.item.content?.[0];
    if (part && "transcript" in part) part.transcript = "";
    this.record.truncates.push({ t, itemId: id, audioEndMs, accepted: true });
    this.emit({ type: "conversation.item.truncated", item_id: id, content_index: 0, audio_end_ms: audioEndMs });
  }

  private onDelete(id: string, eid: string | null): void {
    if (!this.conv.delete(id)) return this.sendError(this.notFound("item_id", id), eid);
    this.emit({ type: "conversation.item.deleted", item_id: id });
  }

  // ---- responses (§7.2, §8) ---------------------------------------------------------------------

  private onResponseCreate(options: Record<string, unknown> | undefined, eid: string | null): void {
    if (options !== undefined) {
      const problem = checkResponseOptions(options, this.dialect);
      if (problem) return this.sendError(problem, eid);
    }
    const oob = options?.conversation === "none";
    if (!oob && this.active) {
      return this.sendError(
        {
          type: "invalid_request_error", code: "conversation_already_has_active_response", param: null,
          message: `Conversation already has an active response in progress: ${this.active.id}. Wait until the response is finished before creating a new one.`,
        },
        eid,
      );
    }
    const open = oob ? undefined : this.awaiting;
    if (!oob) {
      this.awaiting = undefined;
      this.autoPending = false;
    }
    this.startResponse({ turn: open?.turn, options });
  }

  private onResponseCancel(responseId: string | undefined, eid: string | null): void {
    const candidates = [this.active, ...this.outOfBand].filter((r): r is ResponseRun => r !== undefined && r.active);
    const run = responseId === undefined ? this.active : candidates.find((r) => r.id === responseId);
    if (!run) {
      return this.sendError({ type: "invalid_request_error", code: "response_cancel_not_active", param: null, message: "Cancellation failed: no active response found" }, eid);
    }
    run.cancel("client_cancelled");
  }

  /** Start a response: pick the scripted turn (greeting or next), prepare its audio, run it. */
  private startResponse(a: { turn?: StubTurn; options?: Record<string, unknown> }): void {
    this.idleCancel?.();
    const opts = a.options ?? {};
    const greeting = this.responsesStarted === 0 && this.utterances === 0;
    this.responsesStarted++;
    let script: ResolvedTurn;
    if (greeting && this.o.script.greeting) script = this.o.script.greeting;
    else script = pickTurn(this.o.script, this.scriptCursor++);
    let turn = a.turn;
    if (!turn && greeting) {
      turn = { index: 0, itemId: "", configuredThinkMs: 0, cancelled: false, audioBytesSent: 0, bargeIn: false, kind: "greeting" };
      this.record.turns.push(turn);
    }
    if (turn) {
      turn.configuredThinkMs = (this.hangoverOf.get(turn) ?? 0) + script.responseDelayMs;
      turn.responseDelayMs = script.responseDelayMs;
    }

    const ga = this.dialect === "ga";
    const respAudio = isObject(opts.audio) && isObject(opts.audio.output) ? opts.audio.output : {};
    const format = audioFormatFromAny(ga ? respAudio.format : opts.output_audio_format) ?? this.eff.outputFormat;
    const modalities = ((ga ? opts.output_modalities : opts.modalities) as ("audio" | "text")[] | undefined) ?? this.eff.modalities;
    const voice = (ga ? (respAudio.voice as string | undefined) : (opts.voice as string | undefined)) ?? this.eff.voice;
    const maxTokens = ((ga ? opts.max_output_tokens : opts.max_response_output_tokens) ?? (ga ? (this.session as GaSession).max_output_tokens : (this.session as BetaSession).max_response_output_tokens)) as number | "inf";
    const omit = this.faults.some((f) => f.kind === "response-done-without-created" && (f.atTurn === undefined || f.atTurn === turn?.index));
    const run = new ResponseRun(this, {
      turnScript: script,
      audio: modalities.includes("audio") ? this.replyAudio(script, turn, format) : new Uint8Array(0),
      format,
      modalities,
      voice,
      maxOutputTokens: maxTokens,
      metadata: (opts.metadata as Record<string, string> | undefined) ?? null,
      conversation: opts.conversation === "none" ? "none" : "auto",
      omitCreated: omit,
      turn,
    });
    if (run.inConversation) this.active = run;
    else this.outOfBand.add(run);
    run.start();
  }

  /** The reply audio of a scripted turn, encoded in the output format (§5.2). */
  private replyAudio(script: ResolvedTurn, turn: StubTurn | undefined, format: "pcm16" | "pcmu" | "pcma"): Uint8Array {
    const a = script.audio;
    if (a.kind === "none") return new Uint8Array(0);
    if (a.kind === "pcm") return encodeAudio(a.pcm, a.rate, format);
    // Echo: the caller's own audio of this turn, re-encoded (a distinct signature per call).
    const user = turn?.kind !== "greeting" && turn ? this.conv.get(turn.itemId) : [...this.conv.items].reverse().find((ci) => ci.inputRange);
    if (user?.inputRange) return this.input.slice(user.inputRange.fromMs, user.inputRange.toMs, format);
    return encodeAudio(speechLikeSignal(500, 24000), 24000, format);
  }

  // ---- idle timeout (§6.1) -----------------------------------------------------------------------

  private armIdleTimeout(run: ResponseRun): void {
    const td = this.eff.turnDetection;
    if (!td || td.type !== "server_vad" || td.idle_timeout_ms === null || this.dialect !== "ga") return;
    this.idleCancel?.();
    // Timer starts at response.done plus the reply's playback duration (§6.1).
    const playbackLeftMs = run.firstAudioUs === undefined ? 0 : Math.max(0, (run.firstAudioUs + run.audioMs * 1000 - this.clock.nowUs()) / 1000);
    this.idleCancel = this.after(playbackLeftMs + td.idle_timeout_ms, () => {
      if (this.active || this.speaking) return;
      const itemId = this.ids.next("item");
      const fromMs = this.commitPointMs;
      const toMs = this.input.endMs;
      this.emit({ type: "input_audio_buffer.timeout_triggered", audio_start_ms: Math.round(fromMs), audio_end_ms: Math.round(toMs), item_id: itemId });
      this.commitUser(itemId, fromMs, toMs);
      if (!this.closed) this.startResponse({});
    });
  }
}

/** Best-effort `event_id` of a frame too large to parse fully (for `error.event_id`). */
function sniffEventId(text: string): string | null {
  const m = /"event_id"\s*:\s*"([^"]{1,200})"/.exec(text.slice(0, 4096)) ?? /"event_id"\s*:\s*"([^"]{1,200})"/.exec(text.slice(-4096));
  return m ? m[1] : null;
}

