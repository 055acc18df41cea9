// One media stream: the carrier's WebSocket client to the app's `destination` (bandwidth.md §3,
// §4). It sends `start`, then the call's 20 ms `media` frames (CallAudio drives the ticks), and
// `stop` + close 1000 when the carrier ends it (ED-3); it validates and queues `playAudio`, honours
// `clear`, and maps the app's close to a StreamEnd (ED-2). Every frame both ways, every queue
// change and every app mistake lands on the timeline. Bad input is ignored with a finding
// (OPEN-9, OPEN-10); nothing here throws at the caller, and every buffer is capped.

import type { Duplex } from "node:stream";
import type WebSocket from "ws";
import type { Clock } from "../clock.js";
import type { CallAction, CarrierSettings, StreamRecord } from "../call/types.js";
import { payloadPcm, encodeStart, encodeStop, fillMediaFrame, mediaFrameTemplate, parseAppMessage } from "../protocol/media-stream-codec.js";
import type { MediaFrameTemplate, ParseOptions, PlayAudioPayload } from "../protocol/media-stream-codec.js";
import type { StreamMetadata, StreamMode, StreamTracks, TrackName } from "../protocol/media-stream.js";
import { FRAME_MS } from "../protocol/media-stream.js";
import type { Timeline, TimelineEventMap } from "../timeline.js";
import { compactData, type CompactShape } from "../timeline-frames.js";
import { FRAME_SAMPLES_8K, type CallAudio, type StreamPort, type TickFrame } from "./call-audio.js";
import { connectStream, redactUrl, type SocketHandlers } from "./connect.js";
import { FindingRecorder, type StreamFindingCode } from "./findings.js";
import { frameShapeProblem } from "./frame-shape.js";
import { commonPlayAudio } from "./common-play-audio.js";
import { PlayoutBuffer } from "./playout.js";
import { receivedAt } from "./read-stamp.js";
import { clientMediaFrames, clientTextFrames, type MediaFrameParts } from "./client-frames.js";
import { ByteRecorder, PcmRecorder } from "./recorder.js";
import { makeResampler, type Resampler } from "./resampler.js";
import { resample } from "../media/resample.js";
import { decodeMulaw } from "../media/mulaw.js";
import { decided } from "../decisions.js";

declare module "../timeline.js" {
  interface TimelineEventMap {
    /** A run of queued stream audio finished playing (the queue ran dry), or was cut by `clear`. */
    "audio.drained": { streamId: string; playedMs: number };
  }
}

export interface StreamLimits {
  /** Play-out queue cap (OPEN-10 leaves it open); audio beyond it is dropped with a finding. Default 10 min. */
  maxQueuedMs?: number;
  /** Largest message accepted from the app (`ws` maxPayload); bigger → finding + close 1009. Default 1 MiB. */
  maxMessageBytes?: number;
  /** How long the app may take to answer the carrier's close frame before the socket is destroyed. Default 5 s. */
  closeTimeoutMs?: number;
  /** Cap on each recording kept for the report (inbound, played, raw μ-law). Default 4 h (ED-4). */
  maxRecordedMs?: number;
  /** Longest `burst-media` hold. Default 60 s. */
  maxBurstMs?: number;
}

/**
 * The largest message the carrier reads from an app. A `media` frame of 20 ms L16 16 kHz is ~1 KB of
 * JSON; §4.6 sets no size for a `playAudio`, but bridges send one model delta each (50–500 ms). 1 MiB
 * holds 32 s of L16 16 kHz (128 s of PCMU) in one message: no real bridge comes near it, and reading
 * and parsing it costs at most a few ms, so a hostile frame cannot stall the pacing of other calls.
 * Setting `mediaMaxMessageBytes` (or the stream limit `maxMessageBytes`) changes it.
 */
export const MAX_MEDIA_MESSAGE_BYTES = 1024 * 1024;

/**
 * Pings from the app beyond this many in one second are a flood: a keepalive pings every few
 * seconds at most. The carrier closes with 1008 (`ws` itself would drop the socket after 60
 * unanswered pings, which would read as a lost connection).
 */
export const PING_FLOOD_PER_SECOND = 50;

/** Frames of one event type (or one kind of mistake) whose text is kept per stream; later ones are counted with their size only. */
const QUOTED_FRAMES_PER_KIND = 50;

export const DEFAULT_STREAM_LIMITS: Required<StreamLimits> = {
  maxQueuedMs: 10 * 60_000,
  maxMessageBytes: MAX_MEDIA_MESSAGE_BYTES,
  closeTimeoutMs: 5_000,
  maxRecordedMs: 4 * 3600_000,
  maxBurstMs: 60_000,
};

export interface OpenStreamOptions {
  callId: string;
  accountId: string;
  streamId: string;
  name: string;
  destination: string;
  credentials?: { username: string; password: string };
  mode: StreamMode;
  tracks: StreamTracks;
  streamParams?: Record<string, string>;
  settings: Pick<
    CarrierSettings,
    "mediaFormat" | "eventTypeLast" | "sequenceScope" | "cleanCloseCodes" | "streamConnectTimeoutMs" | "pacing" | "mediaMaxMessageBytes" | "recordAudio"
  >;
  audio: CallAudio;
  timeline: Timeline;
  clock: Clock;
  limits?: StreamLimits;
  /** How strictly `playAudio` is validated (content-type matching, unpadded base64); defaults strict/MIME. */
  appMessages?: ParseOptions;
}

export type OpenStreamResult = { ok: true; stream: MediaStream } | { ok: false; errorMessage: string; status?: number };

export interface StreamEnd {
  by: "carrier" | "app" | "network";
  code: number;
  reason: string;
  /** `mediaStreamStopped.cause` (ED-2, ED-3). */
  cause: "closed" | "connection-error";
  errorMessage?: string;
  atUs: number;
}

export interface MediaStream extends StreamPort {
  readonly streamId: string;
  readonly name: string;
  /** When `start` was sent (clock µs). */
  readonly startedUs: number;
  /** Carrier ends it: `stop`, then close 1000 (ED-3); resolves when closed (destroyed after closeTimeoutMs if unanswered). */
  stop(): Promise<StreamEnd>;
  /** Resolves when the socket closes for any reason (ED-2). */
  readonly ended: Promise<StreamEnd>;
  /** Scripted faults (emulator/call/types.ts CallAction); call-level actions are ignored here. */
  inject(action: CallAction): void;
  record(): StreamRecord;
}

const TRACKS: Record<StreamTracks, TrackName[]> = { inbound: ["inbound"], outbound: ["outbound"], both: ["inbound", "outbound"] };

/** Content-type spellings per stream whose `audio.queued` events are kept compact (the rest as objects). */
const MAX_QUEUED_SHAPES = 8;

/** Fast pacing pauses while a socket has this much unsent (the app reads slower than we send). */
const SEND_BUFFER_HIGH_WATER = 256 * 1024;

/** The longest playAudio decoded into the stream's scratch (1 s of μ-law); a longer one gets an array of its own. */
const SCRATCH_SAMPLES = 8000;

/** Text kept on the timeline for a non-media frame. */
const FRAME_TEXT_CHARS = 1024;
const clipText = (s: string) => (s.length > FRAME_TEXT_CHARS ? `${s.slice(0, FRAME_TEXT_CHARS)}…` : s);

/** StartStream step 4–5 (§3.1): connect, then send `start`. Never throws. */
export async function openMediaStream(o: OpenStreamOptions): Promise<OpenStreamResult> {
  const limits = { ...DEFAULT_STREAM_LIMITS, ...(o.settings.mediaMaxMessageBytes ? { maxMessageBytes: o.settings.mediaMaxMessageBytes } : {}), ...o.limits };
  const lane = { callId: o.callId, lane: "carrier" as const };
  const r = await connectStream({
    destination: o.destination,
    credentials: o.credentials,
    timeoutMs: o.settings.streamConnectTimeoutMs,
    maxPayload: limits.maxMessageBytes,
    closeTimeoutMs: limits.closeTimeoutMs,
    clock: o.clock,
  });
  const ex = r.exchange;
  o.timeline.append(
    "http.exchange",
    {
      role: "ws-upgrade",
      method: "GET",
      url: ex.url,
      requestHeaders: ex.requestHeaders,
      status: ex.status,
      responseHeaders: ex.responseHeaders,
      responseBody: ex.responseBody,
      error: ex.error,
      durationUs: ex.durationUs,
      attempt: 1,
    },
    lane,
  );
  o.timeline.append(
    "stream.connect",
    {
      streamId: o.streamId,
      name: o.name,
      destination: redactUrl(o.destination),
      ok: r.ok,
      status: r.ok ? 101 : r.status,
      error: r.ok ? undefined : r.errorMessage,
      authorization: o.credentials ? "basic" : "none",
    },
    lane,
  );
  if (!r.ok) return { ok: false, errorMessage: r.errorMessage, status: r.status };
  const stream = new CarrierMediaStream(o, limits, r.ws, r.socket);
  stream.begin(r.attach);
  return { ok: true, stream };
}

interface OutFrame {
  text: string;
  ev: { eventType?: string; text?: string };
}

/** A `media` frame: its text (the track's template filled in: ASCII) and what the timeline keeps of it. */
interface MediaOut {
  text: string;
  shape: CompactShape;
  sequenceNumber: number;
}

/** What a track's `media` frames need, looked up once per stream rather than by name every tick. */
interface TrackOut {
  track: TrackName;
  template: MediaFrameTemplate;
  shape: CompactShape;
}

class CarrierMediaStream implements MediaStream {
  readonly streamId: string;
  readonly name: string;
  startedUs = 0;
  readonly ended: Promise<StreamEnd>;
  readonly bidirectional: boolean;

  private resolveEnded!: (e: StreamEnd) => void;
  private end?: StreamEnd;
  private closingBy?: "carrier";
  private closeReason?: { code: number; errorMessage: string };
  private socketError?: string;
  private readonly tracks: TrackName[];
  private readonly metadata: StreamMetadata;
  private seqInbound = 0;
  private seqOutbound = 0;
  private seqStream = 0;
  private readonly findings: FindingRecorder;
  private readonly playout?: PlayoutBuffer;
  private readonly resamplers = new Map<number, Resampler>();
  /** The inbound track as sent, kept here only at 16 kHz (resampled in one pass for the record). */
  private readonly inbound?: PcmRecorder;
  /** At 8 kHz the inbound track is the call's own recording from this stream's first frame: its tick and frame count. */
  private inboundFrom = -1;
  private inboundFrames = 0;
  private readonly inboundCap: number;
  private readonly played: PcmRecorder;
  private readonly receivedPcmu: ByteRecorder;
  /** The stream's audio is recorded for its record (`recordAudio` "both"); "none" keeps none of it. */
  private readonly recording: boolean;
  private playingRunMs = 0;
  private playing = false;
  private warnedContentType = false;
  private warnedRecordCap = false;
  /** The carrier dropped the TCP connection itself (drop-socket fault). */
  private droppedByCarrier = false;
  private overflowMs = 0;
  /** Frames recorded with their text, per event type or mistake (bounded by QUOTED_FRAMES_PER_KIND). */
  private readonly quoted = new Map<string, number>();
  /** When the socket's last read happened (read-stamp.ts); set by begin(). */
  private receivedAt: () => number = () => this.o.timeline.clock.nowUs();
  /** Arrival times (ms) of the app's pings in the last second, and the flood once detected. */
  private pings: number[] = [];
  private pingFlood?: string;
  /** burst-media: frames held back until `holdUntil` (a tick index), then sent at once. */
  private hold?: { untilTick: number; frames: MediaOut[] };
  /** Each track this stream sends: its `media` frame text around the payload and sequence number, and its compact shape, built once. */
  private readonly trackOut: TrackOut[];
  /** Each track's frame to write, refilled every tick (a payload is let go once written), and the frames' text lengths. */
  private readonly mediaParts: MediaFrameParts[];
  private readonly mediaLengths: number[] = [];
  /** How the timeline keeps this stream's summarised frames and queued audio (timeline-frames.ts). */
  private readonly shapes: Record<TrackName | "playAudio", CompactShape>;
  /** `audio.queued` shapes by the app's content type, as the app spelled it (a few at most). */
  private readonly queuedShapes = new Map<string, CompactShape>();
  /** The spelling asked for last, with its shape (queuedShape). */
  private lastQueued?: { contentType: string; shape: CompactShape };
  private pendingBurstMs = 0;
  /** Decoded playAudio before the play-out queue copies it (onPlayAudio). */
  private pcmScratch = new Int16Array(0);
  private readonly lane: { callId: string; lane: "carrier" };

  constructor(
    private readonly o: OpenStreamOptions,
    private readonly limits: Required<StreamLimits>,
    private readonly ws: WebSocket,
    private readonly socket?: Duplex,
  ) {
    this.streamId = o.streamId;
    this.name = o.name;
    this.bidirectional = o.mode === "bidirectional";
    this.tracks = TRACKS[o.tracks];
    this.lane = { callId: o.callId, lane: "carrier" };
    const format = o.settings.mediaFormat;
    this.metadata = {
      accountId: o.accountId,
      callId: o.callId,
      streamId: o.streamId,
      streamName: o.name,
      tracks: this.tracks.map((name) => ({ name, mediaFormat: { encoding: format.encoding, sampleRate: format.sampleRate } })),
    };
    this.findings = new FindingRecorder(o.timeline, o.callId, o.streamId);
    const encode = { eventTypeLast: o.settings.eventTypeLast };
    const frame = { kind: "ws.frame", callId: o.callId, streamId: o.streamId } as const;
    const out = (track: TrackName) => o.timeline.compactShape({ ...frame, lane: "carrier", direction: "out", eventType: "media", track });
    this.shapes = {
      inbound: out("inbound"),
      outbound: out("outbound"),
      playAudio: o.timeline.compactShape({ ...frame, lane: "app", direction: "in", eventType: "playAudio" }),
    };
    this.trackOut = this.tracks.map((track) => ({ track, template: mediaFrameTemplate(track, encode), shape: this.shapes[track] }));
    this.mediaParts = this.trackOut.map((t) => ({ template: t.template, payload: "", sequenceNumber: 0 }));
    this.recording = o.settings.recordAudio !== "none";
    const recordSamples = this.recording ? Math.ceil((limits.maxRecordedMs * 8000) / 1000) : 0;
    this.inboundCap = recordSamples;
    if (format.sampleRate !== 8000) this.inbound = new PcmRecorder((recordSamples * format.sampleRate) / 8000);
    this.played = new PcmRecorder(recordSamples);
    this.receivedPcmu = new ByteRecorder(recordSamples);
    if (this.bidirectional) this.playout = new PlayoutBuffer(Math.max(1, Math.ceil((limits.maxQueuedMs * 8000) / 1000)));
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
  }

  /** Wire the socket, send `start` (always the first frame, §4.1), join the call's media clock. */
  begin(attach: (h: SocketHandlers) => void): void {
    const start = encodeStart(
      { eventType: "start", metadata: this.metadata, ...(this.o.streamParams ? { streamParams: this.o.streamParams } : {}) },
      { eventTypeLast: this.o.settings.eventTypeLast },
    );
    this.sendText(start, { eventType: "start", text: start });
    this.startedUs = this.o.clock.nowUs();
    this.o.audio.attach(this);
    this.receivedAt = receivedAt(this.ws, this.o.timeline.clock);
    // After `start` went out: what the app sent meanwhile is handled now, in order.
    attach({
      message: (data, isBinary) => this.onMessage(data, isBinary),
      error: (err) => this.onSocketError(err),
      ping: () => this.onPing(),
      close: (code, reason) => this.onClose(code, reason.toString("utf8")),
    });
  }

  // ------------------------------------------------------------------------------------------
  // carrier → app

  private sendText(text: string, ev: OutFrame["ev"]): number | undefined {
    return this.sendFrames([{ text, ev }])[0];
  }

  /**
   * Send frames in one write (a tick's frames for both tracks leave together, as one segment: half
   * the syscalls and wake-ups of one write each), then record each; returns their timeline seqs.
   */
  private sendFrames(frames: OutFrame[]): (number | undefined)[] {
    if (!this.write(frames)) return frames.map(() => undefined);
    // "sends" = the instant the frame is handed to the socket (openai-realtime.md §12.3.1).
    return frames.map(
      (f) => this.o.timeline.append("ws.frame", { streamId: this.streamId, direction: "out", bytes: Buffer.byteLength(f.text), ...f.ev }, this.lane).seq,
    );
  }

  /** `media` frames: sent like any, kept on the timeline in the compact form. */
  private sendMedia(frames: MediaOut[]): void {
    if (!this.write(frames, true)) return;
    for (const f of frames) this.o.timeline.appendCompact(f.shape, f.text.length, f.sequenceNumber);
  }

  /** Hand the frames to the socket in one write (false: the socket is not open, nothing was sent). `ascii`: every text is ASCII. */
  private write(frames: { text: string }[], ascii = false): boolean {
    if (this.ws.readyState !== this.ws.OPEN) return false;
    if (this.socket) this.socket.write(clientTextFrames(frames.map((f) => f.text), ascii));
    else for (const f of frames) this.ws.send(f.text);
    return true;
  }

  private nextSeq(track: TrackName): number {
    // ED-1: per track by default; one counter for the stream as the alternative setting.
    if (this.o.settings.sequenceScope === "stream") return ++this.seqStream;
    return track === "inbound" ? ++this.seqInbound : ++this.seqOutbound;
  }

  /** Called by CallAudio once per 20 ms tick. */
  sendFrame(f: TickFrame): void {
    if (this.end || this.closingBy) return;
    if (this.recording && this.tracks.includes("inbound")) {
      if (this.inbound) this.inbound.append(f.inboundPcm);
      else {
        if (this.inboundFrom < 0) this.inboundFrom = f.n;
        this.inboundFrames++;
      }
    }
    if (this.pendingBurstMs > 0 && !this.hold) {
      this.hold = { untilTick: f.n + Math.max(1, Math.round(this.pendingBurstMs / FRAME_MS)), frames: [] };
      this.pendingBurstMs = 0;
    }
    if (!this.hold && this.socket) return this.sendMediaParts(f);
    const out: MediaOut[] = [];
    for (const t of this.trackOut) {
      const sequenceNumber = this.nextSeq(t.track);
      const m: MediaOut = { text: fillMediaFrame(t.template, f.payload(t.track), String(sequenceNumber)), shape: t.shape, sequenceNumber };
      if (this.hold) this.hold.frames.push(m);
      else out.push(m);
    }
    if (out.length) this.sendMedia(out);
    if (this.hold && f.n + 1 >= this.hold.untilTick) this.flushHold();
  }

  /** The tick's `media` frames written straight into the socket's buffer: no text, no object per frame (client-frames.ts). */
  private sendMediaParts(f: TickFrame): void {
    const parts = this.mediaParts;
    for (let i = 0; i < parts.length; i++) parts[i].sequenceNumber = this.nextSeq(this.trackOut[i].track);
    if (this.ws.readyState !== this.ws.OPEN) return;
    for (let i = 0; i < parts.length; i++) parts[i].payload = f.payloadSource(this.trackOut[i].track);
    this.socket!.write(clientMediaFrames(parts, this.mediaLengths));
    for (let i = 0; i < parts.length; i++) {
      this.o.timeline.appendCompact(this.trackOut[i].shape, this.mediaLengths[i], parts[i].sequenceNumber);
      parts[i].payload = "";
    }
  }

  private flushHold(): void {
    const h = this.hold;
    this.hold = undefined;
    if (!h) return;
    this.sendMedia(h.frames);
  }

  stop(): Promise<StreamEnd> {
    // Already ending (the app's close is in flight): that close decides the outcome (ED-2).
    if (this.end || this.closingBy || this.ws.readyState !== this.ws.OPEN) return this.ended;
    this.o.audio.detach(this);
    this.flushHold();
    // ED-3: `stop`, then close 1000. `ws` destroys the socket if the app never answers the close.
    const stop = encodeStop({ eventType: "stop", metadata: this.metadata }, { eventTypeLast: this.o.settings.eventTypeLast });
    this.sendText(stop, { eventType: "stop", text: stop });
    this.closingBy = "carrier";
    try {
      this.ws.close(1000);
    } catch {
      this.ws.terminate();
    }
    // `ws` destroys the socket closeTimeoutMs after the close frame; this is the backstop if it cannot.
    const backstop = setTimeout(() => this.ws.terminate(), this.limits.closeTimeoutMs + 2000);
    backstop.unref();
    void this.ended.then(() => clearTimeout(backstop));
    return this.ended;
  }

  inject(action: CallAction): void {
    if (this.end || this.closingBy || this.ws.readyState !== this.ws.OPEN) return;
    switch (action.action) {
      case "send-unknown-event": {
        const text = JSON.stringify({ eventType: "bwemuProbe", note: "an eventType the app does not know" });
        this.sendText(text, { eventType: "bwemuProbe", text });
        break;
      }
      case "send-malformed-frame": {
        const text = '{"eventType":"media","track":"inbound","payload":';
        this.sendText(text, { text });
        break;
      }
      case "send-binary-frame": {
        const data = Buffer.alloc(160, 0xff);
        this.ws.send(data, { binary: true });
        this.o.timeline.append("ws.frame", { streamId: this.streamId, direction: "out", binary: true, bytes: data.length }, this.lane);
        break;
      }
      case "drop-socket":
        // A TCP drop without a close frame: the app sees 1006.
        this.droppedByCarrier = true;
        this.ws.terminate();
        break;
      case "burst-media":
        this.pendingBurstMs = Math.min(Math.max(action.durationMs, FRAME_MS), this.limits.maxBurstMs);
        break;
      default:
        break; // call-level actions (hangup, dtmf, redirect) belong to the carrier
    }
  }

  // ------------------------------------------------------------------------------------------
  // app → carrier

  private recordIn(ev: { eventType?: string; binary?: boolean; bytes: number; text?: string }, atUs: number): number {
    return this.o.timeline.append("ws.frame", { streamId: this.streamId, direction: "in", ...ev }, { callId: this.o.callId, lane: "app", t: atUs }).seq;
  }

  private finding(code: StreamFindingCode, message: string, evidence?: number): void {
    this.findings.record(code, message, evidence === undefined ? undefined : [evidence]);
  }

  private onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    // "receives" (openai-realtime.md §12.3.1): stamped on arrival (the read; frames handled before
    // `begin` are stamped now), before due ticks run and before parsing, so neither the carrier's other
    // calls nor a large frame's decoding is read as the app's.
    const atUs = this.receivedAt();
    // Frames due by now go first: a burst of app frames read in one poll phase must not delay them.
    this.o.audio.runDueTicks();
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    if (isBinary) {
      const seq = this.recordIn({ binary: true, bytes: buf.length }, atUs);
      this.finding("stream.app.binary-frame", `binary frame of ${buf.length} bytes ignored (media-stream messages are JSON text frames)`, seq);
      return;
    }
    // The common playAudio is known by its bytes (common-play-audio.ts; its audio is a shared scratch,
    // played and recorded before the next message); anything else is pre-scanned, then parsed.
    const common = commonPlayAudio(buf);
    if (common) return this.playAudioIn(common, buf.length, atUs);
    const text = buf.toString("utf8");
    const shape = frameShapeProblem(text);
    if (shape !== undefined) {
      const seq = this.recordIn(this.quote("too-complex") ? { bytes: buf.length, text: clipText(text) } : { bytes: buf.length }, atUs);
      if (!this.end && !this.closingBy) this.finding("stream.app.too-complex", `${shape}; message ignored`, seq);
      return;
    }
    const r = parseAppMessage(text, this.o.appMessages);
    if (r.ok && r.msg.eventType === "playAudio") return this.playAudioIn(r.audio!, buf.length, atUs);
    // Everything but a valid playAudio keeps its text (the first few of a kind), so a finding can quote it.
    const eventType = r.ok ? r.msg.eventType : r.eventType;
    const summarised = !this.quote(r.ok ? r.msg.eventType : `${r.problem}|${eventType ?? ""}`);
    const seq = this.recordIn(summarised ? { eventType, bytes: buf.length } : { eventType, bytes: buf.length, text: clipText(text) }, atUs);
    if (this.end || this.closingBy) return; // the stream is ending; nothing more plays
    if (!r.ok) {
      this.finding(`stream.app.${r.problem}`, `${r.detail}; message ignored`, seq);
      return;
    }
    if (r.msg.eventType === "clear") this.onClear();
  }

  /** A valid playAudio: summarised like media (its audio is in audio.queued and the recordings), then queued. */
  private playAudioIn(audio: PlayAudioPayload, bytes: number, atUs: number): void {
    const seq = this.o.timeline.appendCompact(this.shapes.playAudio, bytes, undefined, atUs);
    if (this.end || this.closingBy) return; // the stream is ending; nothing more plays
    if (!this.playout) {
      this.finding("stream.app.play-audio-unidirectional", `playAudio on a unidirectional stream ignored ${decided("ignored-frames")}`, seq);
      return;
    }
    this.onPlayAudio(audio, seq);
  }

  /** Whether this frame's text is still quoted: the first QUOTED_FRAMES_PER_KIND of each kind are, so a flood costs no text. */
  private quote(kind: string): boolean {
    const n = this.quoted.get(kind) ?? 0;
    if (n >= QUOTED_FRAMES_PER_KIND) return false;
    this.quoted.set(kind, n + 1);
    return true;
  }

  /** A ping from the app (`ws` answers it): a keepalive is fine, a flood ends the stream with 1008. */
  private onPing(): void {
    if (this.pingFlood || this.end || this.closingBy) return;
    const now = this.o.clock.nowUs() / 1000;
    this.pings.push(now);
    while (this.pings.length && this.pings[0] < now - 1000) this.pings.shift();
    if (this.pings.length <= PING_FLOOD_PER_SECOND) return;
    this.pingFlood = `ping flood: more than ${PING_FLOOD_PER_SECOND} pings within one second (a keepalive pings every few seconds)`;
    this.pings = [];
    this.closeReason = { code: 1008, errorMessage: `${this.pingFlood}; the carrier closed the socket with 1008` };
    this.finding("stream.app.ping-flood", `${this.pingFlood}; the carrier closed the socket with 1008`);
    try {
      this.ws.close(1008, "ping flood");
    } catch {
      this.ws.terminate();
    }
  }

  private resampleTo8k(p: PlayAudioPayload, pcm: Int16Array): Int16Array {
    const rate = p.format.sampleRate;
    if (rate === 8000) return pcm;
    let rs = this.resamplers.get(rate);
    if (!rs) {
      rs = makeResampler(rate, 8000);
      this.resamplers.set(rate, rs);
    }
    return rs.push(pcm);
  }

  private onPlayAudio(p: PlayAudioPayload, seq: number): void {
    if (!p.exactContentType && !this.warnedContentType) {
      this.warnedContentType = true;
      this.finding(
        "stream.app.content-type-noncanonical",
        `media.contentType ${JSON.stringify(p.rawContentType)} accepted as ${p.format.contentType}; send it exactly as the media-stream docs write it`,
        seq,
      );
    }
    if (this.recording && p.format.encoding === "PCMU" && this.receivedPcmu.append(p.bytes) < p.bytes.length && !this.warnedRecordCap) {
      this.warnedRecordCap = true;
      this.finding("stream.record.truncated", "raw μ-law recording cap reached; later audio is not kept for bit-exact checks", seq);
    }
    // μ-law (8 kHz, the common case) is decoded into a scratch the play-out queue copies from.
    const pcm = p.format.encoding === "PCMU" && p.bytes.length <= SCRATCH_SAMPLES ? decodeMulaw(p.bytes, this.scratch(p.bytes.length)) : this.resampleTo8k(p, payloadPcm(p));
    const r = this.playout!.enqueue(pcm);
    const queued = this.queuedShape(p.rawContentType);
    const silent = r.speech ? 0 : 1;
    const queuedSeq = queued
      ? this.o.timeline.appendCompact(queued, r.accepted, silent)
      : this.o.timeline.append(
          "audio.queued",
          compactData({ kind: "audio.queued", ...this.lane, streamId: this.streamId, contentType: p.rawContentType }, r.accepted, silent) as TimelineEventMap["audio.queued"],
          this.lane,
        ).seq;
    if (r.dropped > 0) {
      const firstOverflow = this.overflowMs === 0;
      this.overflowMs += r.dropped / 8;
      if (firstOverflow) {
        this.finding(
          "stream.playout.overflow",
          `play-out queue full (${this.limits.maxQueuedMs / 1000} s queued): ${r.dropped / 8} ms of playAudio dropped; the app sends audio far faster than real time`,
          queuedSeq,
        );
      }
    }
    this.o.audio.notePlayAudio(this, r.speech);
  }

  /** A scratch of at least `n` samples (n ≤ SCRATCH_SAMPLES: grown, never shrunk, a bridge's deltas are of a few sizes). */
  private scratch(n: number): Int16Array {
    if (this.pcmScratch.length < n) this.pcmScratch = new Int16Array(n);
    return this.pcmScratch;
  }

  /** The compact shape of this content type's `audio.queued` events; undefined past a few spellings (kept as objects). */
  private queuedShape(contentType: string): CompactShape | undefined {
    // An app sends one spelling, 50 times a second: the last one answers without a Map lookup.
    if (contentType === this.lastQueued?.contentType) return this.lastQueued.shape;
    let shape = this.queuedShapes.get(contentType);
    if (!shape && this.queuedShapes.size < MAX_QUEUED_SHAPES) {
      shape = this.o.timeline.compactShape({ kind: "audio.queued", callId: this.o.callId, lane: "carrier", streamId: this.streamId, contentType });
      this.queuedShapes.set(contentType, shape);
    }
    if (shape) this.lastQueued = { contentType, shape };
    return shape;
  }

  private onClear(): void {
    if (!this.playout) {
      this.o.timeline.append("audio.cleared", { streamId: this.streamId, droppedMs: 0 }, this.lane);
      return;
    }
    const dropped = this.playout.clear();
    for (const rs of this.resamplers.values()) rs.reset();
    this.o.timeline.append("audio.cleared", { streamId: this.streamId, droppedMs: dropped / 8 }, this.lane);
    this.endRun();
  }

  // ------------------------------------------------------------------------------------------
  // play-out (CallAudio pulls one frame per tick)

  queuedMs(): number {
    return this.playout?.queuedMs ?? 0;
  }

  queuedSpeechMs(): number {
    return this.playout?.queuedSpeechMs ?? 0;
  }

  ready(): boolean {
    return this.ws.bufferedAmount < SEND_BUFFER_HIGH_WATER;
  }

  takePlayout(n: number): Int16Array | null {
    if (!this.playout) return null;
    if (this.playout.empty) {
      // The reply ran out: play the resamplers' held-back tails before calling the run over.
      for (const rs of this.resamplers.values()) {
        const tail = rs.flush();
        if (tail.length) this.playout.enqueue(tail);
      }
      if (this.playout.empty) {
        this.endRun();
        return null;
      }
    }
    if (!this.playing) {
      this.playing = true;
      this.playingRunMs = 0;
      this.o.timeline.append("audio.play", { streamId: this.streamId, durationMs: this.playout.queuedMs }, this.lane);
    }
    const t = this.playout.take(n)!;
    this.playingRunMs += t.samples / 8;
    if (this.recording) this.played.append(t.samples === n ? t.pcm : t.pcm.subarray(0, t.samples));
    return t.pcm;
  }

  private endRun(): void {
    if (!this.playing) return;
    this.playing = false;
    this.o.timeline.append("audio.drained", { streamId: this.streamId, playedMs: this.playingRunMs }, this.lane);
  }

  // ------------------------------------------------------------------------------------------
  // the end (ED-2, ED-3)

  private onSocketError(err: NodeJS.ErrnoException): void {
    switch (err.code) {
      case "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH": {
        // `ws` refuses at the frame header, before reading the payload; the announced length is its receiver's.
        const rx = (this.ws as unknown as { _receiver?: { _totalPayloadLength?: unknown } })._receiver;
        const size = typeof rx?._totalPayloadLength === "number" && rx._totalPayloadLength > this.limits.maxMessageBytes ? `a message of ${rx._totalPayloadLength} bytes` : "a message";
        this.closeReason = { code: 1009, errorMessage: `the app sent ${size} over the ${this.limits.maxMessageBytes}-byte cap; closed with 1009` };
        this.finding("stream.app.message-too-big", `${size}, over the ${this.limits.maxMessageBytes}-byte cap (${err.message}); the carrier closed the socket with 1009`);
        return;
      }
      case "WS_ERR_TOO_MANY_BUFFERED_PARTS":
        this.closeReason = { code: 1008, errorMessage: `the app sent a message in too many fragments (${err.message}); closed with 1008` };
        this.finding("stream.app.message-too-big", `${err.message}: a message in too many fragments; the carrier closed the socket`);
        return;
      // A 64-bit length with a value no sender could mean (2^63−1): a framing error, not a lost network.
      case "WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH":
      case "WS_ERR_INVALID_UTF8":
      case "WS_ERR_INVALID_OPCODE":
      case "WS_ERR_UNEXPECTED_MASK":
      case "WS_ERR_INVALID_CLOSE_CODE":
      case "WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH":
      case "WS_ERR_EXPECTED_FIN":
      case "WS_ERR_UNEXPECTED_RSV_1":
      case "WS_ERR_UNEXPECTED_RSV_2_3":
      case "WS_ERR_INVALID_UTF8_CLOSE_REASON": {
        const code = err.code === "WS_ERR_INVALID_UTF8" ? 1007 : 1002;
        this.closeReason = { code, errorMessage: `WebSocket protocol error from the app: ${err.message}; closed with ${code}` };
        this.finding("stream.app.protocol-error", `${err.message}; the carrier closed the socket with ${code}`);
        return;
      }
      default:
        this.socketError = err.message;
    }
  }

  private onClose(code: number, reason: string): void {
    if (this.end) return;
    this.o.audio.detach(this);
    this.hold = undefined;
    this.endRun();
    let end: StreamEnd;
    const atUs = this.o.clock.nowUs();
    if (this.closeReason) {
      // The carrier closed because of something the app did (ws already sent the close frame).
      end = { by: "carrier", code: this.closeReason.code, reason, cause: "connection-error", errorMessage: this.closeReason.errorMessage, atUs };
    } else if (this.droppedByCarrier) {
      end = { by: "network", code: 1006, reason: "", cause: "connection-error", errorMessage: "connection dropped without a close frame (injected drop-socket fault)", atUs };
    } else if (this.closingBy === "carrier") {
      if (code === 1006) {
        this.finding("stream.app.close-unanswered", `the app did not answer the carrier's close frame within ${this.limits.closeTimeoutMs} ms; the socket was destroyed`);
      }
      end = { by: "carrier", code: 1000, reason: "", cause: "closed", atUs };
    } else if (code === 1006) {
      end = {
        by: "network",
        code,
        reason,
        cause: "connection-error",
        errorMessage: `WebSocket connection lost without a close frame (1006)${this.socketError ? `: ${this.socketError}` : ""}`,
        atUs,
      };
      this.finding("stream.app.abnormal-close", `${end.errorMessage}: cause connection-error ${decided("app-close-codes")}`);
    } else if (this.o.settings.cleanCloseCodes.includes(code)) {
      end = { by: "app", code, reason, cause: "closed", atUs };
    } else {
      end = {
        by: "app",
        code,
        reason,
        cause: "connection-error",
        errorMessage: `WebSocket closed by the app with code ${code}${reason ? ` (${JSON.stringify(reason)})` : ""}`,
        atUs,
      };
      this.finding("stream.app.abnormal-close", `${end.errorMessage}: cause connection-error ${decided("app-close-codes")}`);
    }
    this.end = end;
    this.o.timeline.append("ws.close", { streamId: this.streamId, by: end.by, code: end.by === "carrier" ? end.code : code, reason }, this.lane);
    if (this.overflowMs > 0) {
      this.o.timeline.append(
        "finding",
        { code: "stream.playout.overflow", level: "warning", message: `stream ${this.streamId}: ${this.overflowMs} ms of playAudio dropped in total (queue cap ${this.limits.maxQueuedMs / 1000} s)` },
        this.lane,
      );
    }
    this.findings.flush();
    this.resolveEnded(end);
  }

  private inboundPcm8k(): Int16Array {
    if (this.inbound) return resample(this.inbound.toArray(), this.o.settings.mediaFormat.sampleRate, 8000);
    if (this.inboundFrom < 0) return new Int16Array(0);
    // The call records every tick's frame from tick 0 (CallAudio); this stream's span of it, capped as its own recording was.
    const from = this.inboundFrom * FRAME_SAMPLES_8K;
    return this.o.audio.inboundRange(from, from + Math.min(this.inboundFrames * FRAME_SAMPLES_8K, this.inboundCap));
  }

  record(): StreamRecord {
    return {
      streamId: this.streamId,
      name: this.name,
      destination: this.o.destination,
      mode: this.o.mode,
      tracks: this.o.tracks,
      inboundPcm: this.inboundPcm8k(),
      playedPcm: this.played.toArray(),
      receivedPcmu: this.bidirectional ? this.receivedPcmu.toArray() : undefined,
      closedBy: this.end?.by,
      closeCode: this.end?.code,
    };
  }
}
