// The call's 20 ms media clock (one per call; bandwidth.md §4.4, §3.7). Every tick it takes one
// frame of caller audio (the inbound track), decides what the caller hears (the outbound track:
// a carrier prompt, else the bidirectional streams' play-out queues, else silence — OPEN-11), hands
// both to every attached stream, records them for the WAV output, and marks on the timeline the
// instant the first/last speech frame of each caller utterance is sent (openai-realtime.md §12.3.1
// "sends", §12.3.2 C_on/C_end). Ticks come from the shared pacing scheduler against absolute
// deadlines; the scheduler's lateness is summarised once per second of frames.
//
// Time inside the call (queue lengths, "ms since the last playAudio") is media time: ticks × 20 ms.
// In real-time pacing it is wall time; in fast pacing it keeps the caller script's turn rules
// (§12.3.4) meaningful while frames race.

import type { Clock } from "../clock.js";
import type { CallerFeed, CallerFrame, CallerFrameEvent, PlayoutState, ResolvedUtterance } from "../media/caller-feed.js";
import { formatKey, silentWireFrame, type WireFrame } from "../media/wire-frames.js";
import { decodeMulaw, encodeMulaw } from "../media/mulaw.js";
import { pcm16ToBytesLE } from "../media/pcm16.js";
import { resample, StreamingResampler } from "../media/resample.js";
import type { PacingScheduler } from "../media/scheduler.js";
import type { MediaFormat, TrackName } from "../protocol/media-stream.js";
import { FRAME_MS } from "../protocol/media-stream.js";
import type { Timeline } from "../timeline.js";
import { PcmRecorder } from "./recorder.js";
import { SPEECH_END_TRACK_FRAMES } from "./speech-end.js";

/** 20 ms at the call's 8 kHz. */
export const CALL_RATE = 8000;
export const FRAME_SAMPLES_8K = (CALL_RATE * FRAME_MS) / 1000;
const FRAME_US = FRAME_MS * 1000;
/** Frames per lateness summary (one second). */
const LATENESS_WINDOW = 1000 / FRAME_MS;
/** Output samples of context either side of a resampled slice (far wider than the filter's half-width). */
const RESAMPLE_MARGIN = 512;
/** Default cap on each call recording (4 h, ED-4). */
const DEFAULT_MAX_RECORD_SAMPLES = 4 * 3600 * CALL_RATE;

/**
 * One tick's audio, shared by every stream of the call; payloads are encoded once, on demand. Valid
 * during the tick only (the object and its arrays are reused or shared): copy what you keep.
 */
export interface TickFrame {
  /** Tick index from 0 (the call's frame number). */
  n: number;
  /** What the caller said this tick, at the stream rate (`format.sampleRate`), exactly as sent
   * (μ-law-quantised when the format is PCMU). */
  inboundPcm: Int16Array;
  /** What the caller heard this tick (8 kHz). */
  outboundPcm8k: Int16Array;
  /** base64 of the track's 20 ms in the call's media format (§4.4). */
  payload(track: TrackName): string;
  /**
   * The same payload as `payload`, or the bytes it is the base64 of where it is not text yet (valid
   * during the tick only): a writer that base64s into its own buffer makes no string.
   */
  payloadSource(track: TrackName): string | Uint8Array;
}

/**
 * One tick's audio both ways: what the caller said (the inbound track at the stream rate, as sent)
 * and what the caller heard (8 kHz). The arrays are read-only (shared) and valid during the call only:
 * copy what you keep.
 */
export type AudioFrameListener = (f: Readonly<Pick<TickFrame, "n" | "inboundPcm" | "outboundPcm8k">>) => void;

/** What CallAudio needs from a stream (MediaStream implements it). */
export interface StreamPort {
  readonly streamId: string;
  readonly bidirectional: boolean;
  /** Send this tick's `media` frames (one per streamed track). */
  sendFrame(f: TickFrame): void;
  /** The next `n` samples of the stream's play-out queue (zero-padded), or null when it is empty. */
  takePlayout(n: number): Int16Array | null;
  queuedMs(): number;
  /** Of that, the agent's speech: up to the last queued sample over the speech level (trailing silence excluded). */
  queuedSpeechMs(): number;
  /** False while the socket's send buffer is full (fast pacing waits instead of buffering without bound). */
  ready(): boolean;
}

interface Prompt {
  pcm: Int16Array;
  at: number;
  resolve: () => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/** A tick with no caller event (most of them): nothing to walk, no array made. */
const NO_CALLER_EVENTS: readonly CallerFrameEvent[] = [];

/** μ-law silence (every byte 0xFF): most frames of a conversation on one track or the other, base64'd once. */
const PCMU_SILENCE_B64 = Buffer.alloc(160, 0xff).toString("base64");
/** What the caller hears when nothing plays: one shared frame, never written to. */
const SILENT_8K = new Int16Array(FRAME_SAMPLES_8K);
const silentPcmu = (b: Uint8Array): boolean => {
  if (b.length !== 160) return false;
  let i = 0;
  while (i < 160 && b[i] === 0xff) i++;
  return i === 160;
};

/**
 * A call's TickFrame, refilled every tick rather than built (a frame object and a closure per tick per
 * call were young-generation garbage): streams and the frame hook read it during the tick only.
 */
class TickFrameState implements TickFrame {
  n = 0;
  inboundPcm: Int16Array = SILENT_8K;
  outboundPcm8k: Int16Array = SILENT_8K;
  private wire?: WireFrame;
  private inBytes?: Uint8Array;
  private outL16?: Int16Array;
  private inPayload?: string;
  private outPayload?: string;
  private outSource?: string | Uint8Array;
  /** The outbound track's μ-law, encoded here and base64'd (no array per tick). */
  private readonly mulaw = Buffer.allocUnsafeSlow(FRAME_SAMPLES_8K);

  fill(n: number, inbound: Int16Array, wire: WireFrame | undefined, inBytes: Uint8Array | undefined, out8k: Int16Array, outL16: Int16Array | undefined): this {
    this.n = n;
    this.inboundPcm = inbound;
    this.outboundPcm8k = out8k;
    this.wire = wire;
    this.inBytes = inBytes;
    this.outL16 = outL16;
    this.inPayload = this.outPayload = this.outSource = undefined;
    return this;
  }

  payloadSource(track: TrackName): string | Uint8Array {
    if (track === "inbound") return this.inPayload ?? (this.wire ? this.wire.payload : silentPcmu(this.inBytes!) ? PCMU_SILENCE_B64 : this.inBytes!);
    if (this.outPayload !== undefined) return this.outPayload;
    if (this.outSource === undefined) {
      if (this.outL16) this.outSource = pcm16ToBytesLE(this.outL16);
      else if (this.outboundPcm8k === SILENT_8K) this.outSource = PCMU_SILENCE_B64;
      else {
        const b = encodeMulaw(this.outboundPcm8k, this.mulaw);
        this.outSource = silentPcmu(b) ? PCMU_SILENCE_B64 : b;
      }
    }
    return this.outSource;
  }

  payload(track: TrackName): string {
    const s = this.payloadSource(track);
    if (typeof s === "string") return s;
    const text = Buffer.from(s.buffer, s.byteOffset, s.byteLength).toString("base64");
    return track === "inbound" ? (this.inPayload = text) : (this.outPayload = text);
  }
}

/** Fixed-size frames out of a streaming resampler: a FIFO primed with one frame of silence. */
class FrameRateConverter {
  private readonly r: StreamingResampler;
  private fifo: Int16Array;
  private len: number;

  constructor(
    from: number,
    to: number,
    private readonly outFrame: number,
  ) {
    this.r = new StreamingResampler(from, to);
    this.fifo = new Int16Array(outFrame * 4);
    this.len = outFrame; // one frame of delay covers the filter's look-ahead
  }

  convert(pcm: Int16Array): Int16Array {
    const got = this.r.push(pcm);
    if (this.len + got.length > this.fifo.length) {
      const grown = new Int16Array((this.len + got.length) * 2);
      grown.set(this.fifo.subarray(0, this.len));
      this.fifo = grown;
    }
    this.fifo.set(got, this.len);
    this.len += got.length;
    const out = new Int16Array(this.outFrame);
    const k = Math.min(this.outFrame, this.len);
    out.set(this.fifo.subarray(0, k));
    this.fifo.copyWithin(0, k, this.len);
    this.len -= k;
    return out;
  }
}

export interface CallAudioOptions {
  callId: string;
  caller: CallerFeed;
  format: MediaFormat;
  scheduler: PacingScheduler;
  timeline: Timeline;
  clock: Clock;
  /** Cap on each recording (samples at 8 kHz); default 4 h. */
  maxRecordSamples?: number;
  /**
   * `both` (default): both tracks are recorded for the whole call (caller.wav, heard.wav, the
   * streams' records). `none`: only what a BXML recording holds (`keepAudio`) is kept; a load call
   * needs no waveform for its figures (they come from the timeline).
   */
  recordAudio?: "both" | "none";
  /** Each tick's audio, as it is sent and heard (cross-talk checks stream over it instead of recordings). */
  onFrame?: AudioFrameListener;
  /**
   * ED-12: the caller stays silent until something listens — the first stream's `start` frame
   * (attach) or `startCaller()` (a recording) — so the app receives the whole script. False: the
   * caller speaks from the first tick (the engine starts at answer). Default false.
   */
  callerWaits?: boolean;
}

declare module "../timeline.js" {
  interface TimelineEventMap {
    /** ED-12: the caller's first frame goes out with tick `frame` (the stream's start, or a recording's). */
    "caller.start": { frame: number; why: "stream-start" | "recording" };
  }
}

export class CallAudio {
  /** The caller script finished (CallerFeed.done) and everything queued for the caller has played. */
  readonly callerDone: Promise<void>;

  private readonly o: CallAudioOptions;
  private readonly streams: StreamPort[] = [];
  private readonly frame = new TickFrameState();
  private readonly prompts: Prompt[] = [];
  private readonly inbound: PcmRecorder;
  private readonly outbound: PcmRecorder;
  private readonly frameSamples: number;
  private readonly formatKey: string;
  private readonly upTo16k?: FrameRateConverter;
  private readonly outboundL16?: FrameRateConverter;
  private handle?: { cancel(): void };
  private running = false;
  private stopped = false;
  private n = 0;
  private callerFinished = false;
  private callerStarted: boolean;
  private resolveCallerDone!: () => void;
  private callerDoneResolved = false;
  private lastPlayAudioTick: number | null = null;
  private playAudioSinceLastUtterance = false;
  /** This window's tick lateness (µs): one array per call, reused, so a second of ticks allocates nothing. */
  private readonly lateness = new Float64Array(LATENESS_WINDOW);
  private latenessN = 0;
  /** Send instant of the previous tick's frame (µs). */
  private prevSentUs?: number;
  /** Speech ends still collecting the send instants of the frames after them (caller.speech-end). */
  private pendingEnds: { index: number; frame: number; endOffsetMs: number; fromFrame: number; sentUs: number[] }[] = [];

  constructor(opts: CallAudioOptions) {
    this.o = opts;
    const max = opts.maxRecordSamples ?? DEFAULT_MAX_RECORD_SAMPLES;
    const keepAll = opts.recordAudio !== "none";
    this.inbound = new PcmRecorder((max * opts.format.sampleRate) / CALL_RATE, keepAll);
    this.outbound = new PcmRecorder(max, keepAll);
    this.frameSamples = (opts.format.sampleRate * FRAME_MS) / 1000;
    this.formatKey = formatKey(opts.format);
    if (opts.format.sampleRate !== CALL_RATE) {
      // A feed that yields 8 kHz frames for an L16 16 kHz stream is upsampled continuously.
      this.upTo16k = new FrameRateConverter(CALL_RATE, opts.format.sampleRate, this.frameSamples);
      this.outboundL16 = new FrameRateConverter(CALL_RATE, opts.format.sampleRate, this.frameSamples);
    }
    this.callerDone = new Promise((resolve) => (this.resolveCallerDone = resolve));
    this.callerStarted = !opts.callerWaits;
  }

  /** The caller starts speaking with the next frame (ED-12); `why` goes on the timeline. Idempotent. */
  startCaller(why: "stream-start" | "recording"): void {
    if (this.callerStarted) return;
    this.callerStarted = true;
    this.o.timeline.append("caller.start", { frame: this.n, why }, { callId: this.o.callId, lane: "carrier" });
  }

  /** Begin ticking every 20 ms against absolute deadlines. Idempotent. */
  start(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    this.handle = this.o.scheduler.every({
      periodUs: FRAME_US,
      lateness: false, // summarised here (flushLateness) and by the scheduler over all streams
      onTick: (_n: number, lateUs: number) => {
        if (!this.running) return false;
        try {
          this.tick(lateUs);
        } catch (e) {
          // A bug in one call must not stop the shared scheduler for the others.
          this.o.timeline.append("note", { message: `call audio tick failed: ${(e as Error).stack ?? String(e)}` }, { callId: this.o.callId, lane: "carrier" });
        }
        return true;
      },
      // Fast pacing: tick only when every stream's socket can take more.
      ready: () => this.streams.every((s) => s.ready()),
    });
  }

  /** The caller says more (an utterance at the stream rate), after what it is saying now. */
  say(u: ResolvedUtterance): void {
    this.o.caller.append(u);
  }

  /** Stop ticking; pending prompts resolve (they will never play). Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.running = false;
    this.handle?.cancel();
    this.flushSpeechEnds(true);
    this.flushLateness();
    for (const p of this.prompts.splice(0)) this.finishPrompt(p);
  }

  /** Carrier audio to the caller (SpeakSentence, PlayAudio, tones), 8 kHz; resolves when played or aborted. */
  play(pcm8k: Int16Array, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.stopped || signal?.aborted || pcm8k.length === 0) {
        resolve();
        return;
      }
      // Virtual time (--fast) does not skip while a prompt plays.
      const release = this.o.clock.hold?.();
      const p: Prompt = { pcm: pcm8k, at: 0, resolve: release ? () => (release(), resolve()) : resolve, signal };
      if (signal) {
        p.onAbort = () => {
          const i = this.prompts.indexOf(p);
          if (i >= 0) this.prompts.splice(i, 1);
          this.finishPrompt(p);
        };
        signal.addEventListener("abort", p.onAbort, { once: true });
      }
      this.prompts.push(p);
    });
  }

  private finishPrompt(p: Prompt): void {
    if (p.signal && p.onAbort) p.signal.removeEventListener("abort", p.onAbort);
    p.resolve();
  }

  /** Whether both tracks are kept for the whole call (`recordAudio` "both"). */
  get recording(): boolean {
    return this.inbound.keepAll;
  }

  /**
   * Keep both tracks from now on, until the returned function is called: a BXML recording's span
   * when the call does not record (`recordAudio` "none"); a no-op when it does.
   */
  keepAudio(): () => void {
    const a = this.inbound.hold();
    const b = this.outbound.hold();
    return () => (a(), b());
  }

  /** What the caller said, 8 kHz (μ-law-quantised when the streams carry PCMU; L16 recordings are
   * resampled in one pass, so the track stays aligned with the outbound one). Empty when the call
   * does not record (`recordAudio` "none"). */
  inboundPcm(): Int16Array {
    if (!this.recording) return new Int16Array(0);
    const pcm = this.inbound.toArray();
    return this.o.format.sampleRate === CALL_RATE ? pcm : resample(pcm, this.o.format.sampleRate, CALL_RATE);
  }

  /** What the caller heard, 8 kHz (empty when the call does not record). */
  outboundPcm(): Int16Array {
    if (!this.recording) return new Int16Array(0);
    return this.outbound.toArray();
  }

  /** `inboundPcm().length`, without building it. */
  inboundLength(): number {
    return Math.ceil((this.inbound.length * CALL_RATE) / this.o.format.sampleRate);
  }

  /** `outboundPcm().length`, without building it. */
  outboundLength(): number {
    return this.outbound.length;
  }

  /**
   * `inboundPcm().subarray(from, to)` (a copy) without building the whole recording: a recording
   * or a silence check reads a slice of a call that may be hours long.
   */
  inboundRange(from: number, to: number): Int16Array {
    const rate = this.o.format.sampleRate;
    if (rate === CALL_RATE) return this.inbound.range(from, to);
    // L16: resample the slice with enough input either side that every output sample sees the
    // same filter window as in the one-pass conversion (same phase: the slice starts on an input
    // sample that maps to an output sample). Identical samples, at the cost of the margins.
    const n = this.inboundLength();
    const a = Math.max(0, Math.min(from, n));
    const b = Math.max(a, Math.min(to, n));
    const r = rate / CALL_RATE;
    const lead = Math.min(a, RESAMPLE_MARGIN);
    const pcm = this.inbound.range((a - lead) * r, (b + RESAMPLE_MARGIN) * r);
    return resample(pcm, rate, CALL_RATE).slice(lead, lead + b - a);
  }

  /** What the caller heard, samples [from, to) at 8 kHz (a copy). */
  outboundRange(from: number, to: number): Int16Array {
    return this.outbound.range(from, to);
  }

  attach(stream: StreamPort): void {
    if (!this.streams.includes(stream)) this.streams.push(stream);
    this.startCaller("stream-start"); // its `start` frame has just been sent
  }

  detach(stream: StreamPort): void {
    const i = this.streams.indexOf(stream);
    if (i >= 0) this.streams.splice(i, 1);
  }

  /** Fire the shared scheduler's ticks that are already due (streams call it for every frame they receive). */
  runDueTicks(): void {
    this.o.scheduler.runDue();
  }

  /**
   * A stream accepted `playAudio` (for the caller script's turn rules, §12.3.4). Only audio that holds
   * speech is the agent talking: a bot that streams silence has not started (or is done) speaking.
   */
  notePlayAudio(_stream: StreamPort, speech = true): void {
    if (!speech) return;
    this.lastPlayAudioTick = this.n;
    this.playAudioSinceLastUtterance = true;
  }

  /** What the caller's script is doing (waiting for its turn, speaking, done). */
  get callerState(): { phase: "gate" | "lead" | "speak" | "tail" | "done"; utterance: number } {
    return this.o.caller.state;
  }

  /** Frames ticked so far. */
  get frames(): number {
    return this.n;
  }

  /** The agent speech still to play on any stream (silence queued behind it does not count). */
  private queuedSpeechMs(): number {
    let q = 0;
    for (const s of this.streams) q = Math.max(q, s.queuedSpeechMs());
    return q;
  }

  /** The caller's view: agent speech queued, since the last playAudio that held speech (silence is nobody talking). */
  private playoutState(): PlayoutState {
    // One object, rewritten every tick (the feed reads it during next() and keeps nothing of it).
    const p = this.playout;
    p.queuedMs = this.queuedSpeechMs();
    p.msSinceLastPlayAudio = this.lastPlayAudioTick === null ? null : (this.n - this.lastPlayAudioTick) * FRAME_MS;
    p.playAudioSinceLastUtterance = this.playAudioSinceLastUtterance;
    return p;
  }
  private readonly playout: PlayoutState = { queuedMs: 0, msSinceLastPlayAudio: null, playAudioSinceLastUtterance: false };

  /** Carrier prompt first, else the streams' queues mixed, else silence (OPEN-11). */
  private nextOutbound(): Int16Array {
    const p = this.prompts[0];
    if (p) {
      const out = new Int16Array(FRAME_SAMPLES_8K);
      out.set(p.pcm.subarray(p.at, p.at + FRAME_SAMPLES_8K));
      p.at += FRAME_SAMPLES_8K;
      if (p.at >= p.pcm.length) {
        this.prompts.shift();
        // Resolve after this frame is sent (the tick finishes first; promise callbacks run later).
        this.finishPrompt(p);
      }
      return out;
    }
    let mix: Int16Array | null = null;
    let mixing: Int32Array | null = null;
    for (const s of this.streams) {
      if (!s.bidirectional) continue;
      const f = s.takePlayout(FRAME_SAMPLES_8K);
      if (!f) continue;
      if (!mix) mix = f;
      else {
        // Several bidirectional streams talking at once: summed, as a mixer would.
        mixing ??= Int32Array.from(mix);
        for (let i = 0; i < f.length; i++) mixing[i] += f[i];
      }
    }
    if (mixing) {
      const out = new Int16Array(FRAME_SAMPLES_8K);
      for (let i = 0; i < out.length; i++) out[i] = Math.max(-32768, Math.min(32767, mixing[i]));
      return out;
    }
    return mix ?? SILENT_8K;
  }

  /** The caller's frame at the stream rate, whatever rate the feed produced it at. */
  private inboundAtFormatRate(cf: CallerFrame | null): Int16Array {
    const pcm = cf?.pcm;
    if (!pcm || pcm.length === 0) return new Int16Array(this.frameSamples);
    if (pcm.length === this.frameSamples) return pcm;
    if (pcm.length === FRAME_SAMPLES_8K && this.upTo16k) return this.upTo16k.convert(pcm);
    const out = new Int16Array(this.frameSamples);
    out.set(pcm.subarray(0, this.frameSamples));
    return out;
  }

  private tick(lateUs: number): void {
    this.lateness[this.latenessN++] = lateUs;
    let cf: CallerFrame | null = null;
    if (!this.callerFinished && this.callerStarted) {
      cf = this.o.caller.next(this.playoutState());
      if (cf.done) this.callerFinished = true;
    }
    const format = this.o.format;
    // The caller's frame as encoded once for every call saying it (media/wire-frames.ts), else now.
    const wire = cf ? (cf.pcm.length === this.frameSamples && cf.wire?.format === this.formatKey ? cf.wire : undefined) : silentWireFrame(format);
    let inboundBytes: Uint8Array | undefined;
    let inbound: Int16Array;
    if (wire) inbound = wire.pcm;
    else {
      const inFmt = this.inboundAtFormatRate(cf);
      if (format.encoding === "PCMU") {
        inboundBytes = encodeMulaw(inFmt);
        inbound = decodeMulaw(inboundBytes); // exactly what the app can decode
      } else {
        inboundBytes = pcm16ToBytesLE(inFmt);
        inbound = inFmt;
      }
    }
    const outbound8k = this.nextOutbound();
    this.inbound.append(inbound);
    this.outbound.append(outbound8k);
    // L16 outbound is converted every tick (not on demand) so the converter stays continuous.
    const outboundL16 = format.encoding === "L16" ? (this.outboundL16 ? this.outboundL16.convert(outbound8k) : outbound8k) : undefined;

    const frame = this.frame.fill(this.n, inbound, wire, inboundBytes, outbound8k, outboundL16);
    // "sends" (openai-realtime.md §12.3.1): stamped as the frame is handed to the sockets, before any
    // of them can have received it.
    const sentUs = this.o.clock.nowUs();
    // A stream may detach while sending (its socket failed): several are walked on a copy.
    const streams = this.streams.length === 1 ? this.streams : this.streams.slice();
    for (const s of streams) s.sendFrame(frame);
    this.o.onFrame?.(frame);
    for (const p of this.pendingEnds) p.sentUs.push(sentUs);
    this.flushSpeechEnds(false);

    const events = cf ? (cf.events ?? (cf.event ? [cf.event] : NO_CALLER_EVENTS)) : NO_CALLER_EVENTS;
    for (let k = 0; k < events.length; k++) {
      const e = events[k];
      if (e.phase === "end") {
        const prev = this.prevSentUs;
        this.pendingEnds.push({
          index: e.index,
          frame: this.n,
          endOffsetMs: e.endOffsetMs ?? FRAME_MS,
          fromFrame: prev === undefined ? this.n : this.n - 1,
          sentUs: prev === undefined ? [sentUs] : [prev, sentUs],
        });
      }
      // C_on / C_end: stamped right after the frame was handed to every stream's socket.
      this.o.timeline.append(
        "caller.utterance",
        { index: e.index, phase: e.phase, frame: this.n, ...(e.bargeIn !== undefined ? { bargeIn: e.bargeIn } : {}) },
        { callId: this.o.callId, lane: "carrier" },
      );
      if (e.phase === "end") this.playAudioSinceLastUtterance = false;
    }
    this.prevSentUs = sentUs;
    this.n++;
    if (this.latenessN >= LATENESS_WINDOW) this.flushLateness();
    if (this.callerFinished && !this.callerDoneResolved && this.prompts.length === 0 && this.queuedSpeechMs() === 0) {
      this.callerDoneResolved = true;
      this.resolveCallerDone();
    }
  }

  /** Record the speech ends that have tracked enough frames after them (all of them when `all`). */
  private flushSpeechEnds(all: boolean): void {
    while (this.pendingEnds.length) {
      const p = this.pendingEnds[0];
      if (!all && p.fromFrame + p.sentUs.length <= p.frame + SPEECH_END_TRACK_FRAMES) return;
      this.pendingEnds.shift();
      this.o.timeline.append("caller.speech-end", { ...p, frameMs: FRAME_MS }, { callId: this.o.callId, lane: "carrier" });
    }
  }

  private flushLateness(): void {
    if (this.latenessN === 0) return;
    // Sorted in place (a typed array sorts numerically): the window is refilled from the start.
    const w = this.lateness.subarray(0, this.latenessN).sort();
    this.latenessN = 0;
    // Nearest rank, as in openai-realtime.md §12.3.5.
    const rank = (q: number) => w[Math.min(w.length - 1, Math.max(0, Math.ceil(q * w.length) - 1))];
    this.o.timeline.append(
      "scheduler.lateness",
      { frames: w.length, p50Us: Math.round(rank(0.5)), p99Us: Math.round(rank(0.99)), maxUs: Math.round(w[w.length - 1]) },
      { callId: this.o.callId, lane: "carrier" },
    );
  }
}
