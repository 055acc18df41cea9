// The caller's side of the call, one 20 ms frame at a time (bandwidth.md §4.4). Utterances play in
// order separated by silence, by the turn rules of openai-realtime.md §12.3.4:
//   after-silence  `silenceBeforeMs` after the previous utterance (or the stream start);
//   after-reply    once the previous reply has fully played (queue empty) and no playAudio has arrived
//                  for ≥ 500 ms — or, when no reply comes, `timeoutMs` (default 10 s) after the
//                  previous utterance's last speech frame — then `silenceBeforeMs`;
//   barge-in       `offsetMs` after the first playAudio of the reply (while audio is queued).
// Each utterance's first and last speech frame carry an event: these are C_on(n) / C_end(n) of
// §12.3.2. Pure and deterministic: time is counted in frames; the engine supplies PlayoutState.
// An utterance's in-memory prefix (a load call's signature) is spliced in at a frame boundary, so
// the utterance's own frames, resolved and encoded once per thread, are shared by every call.

import type { CallerAudio, CallerSamples, CallerUtterance } from "../call/types.js";
import type { MediaFormat } from "../protocol/media-stream.js";
import { isSilentFrame, speechMask, SPEECH_THRESHOLD } from "./analysis.js";
import { checkPrefix, validateCallerAudio } from "./caller-script.js";
import { samplesPerFrame, toStreamRate } from "./format.js";
import { decodeMulaw, encodeMulaw, MULAW_SILENCE } from "./mulaw.js";
import { SPEECH_LEVEL, speechEndSample } from "./speech-level.js";
import { readWavFile, type DecodedAudio } from "./wav.js";
import { formatKey, silentWireFrame, wireFramesOf, type WireFrame, type WireFrames } from "./wire-frames.js";

const FRAME_MS = 20;

export interface ResolvedUtterance {
  /** The utterance's audio at the stream rate (leading/trailing silence of the file included). */
  pcm: Int16Array;
  silenceBeforeMs: number;
  start: CallerUtterance["start"];
  /** First / last 20 ms frame holding speech, relative to the utterance; -1 when it holds none. */
  firstSpeechFrame: number;
  lastSpeechFrame: number;
  /**
   * Sample-accurate end of speech: index just after the last sample over the speech level
   * (speech-level.ts) in the audio as sent; `lastSpeechFrame` is the frame holding that sample.
   * Absent for audio resolved elsewhere (then the end is the end of `lastSpeechFrame`).
   */
  speechEndSample?: number;
  /** The WAV it came from (for reports). */
  source?: string;
  /**
   * The exact wire bytes of `pcm` when they are known (a mono μ-law 8 kHz WAV on a PCMU stream): the
   * file's own bytes, so −0 codes (0x7F) survive instead of being re-encoded as 0xFF.
   */
  encoded?: Uint8Array;
  /** On the last utterance of a script: the script's tailSilenceMs (CallerFeed's default for it). */
  tailSilenceMs?: number;
  /**
   * A clip played inside the utterance (its prefix, e.g. a load call's signature): whole frames at the
   * stream rate, played before frame `atFrame` of `pcm`. `pcm`, `encoded` and their wire frames stay
   * shared; the frame and sample indexes above count the clip in (they are the utterance as played).
   */
  insert?: { pcm: Int16Array; atFrame: number };
}

/**
 * The engine's view of play-out, sampled before each caller frame. Agent speech only: playAudio of
 * silence (no sample over the speech level, media/speech-level.ts) is not the agent talking.
 */
export interface PlayoutState {
  /** Agent speech queued by playAudio and not yet played. */
  queuedMs: number;
  /** Time since the last playAudio holding speech arrived; null if none has. */
  msSinceLastPlayAudio: number | null;
  /**
   * A playAudio has arrived since the most recent `end` event this feed emitted (before the first
   * utterance's end: since the stream started). The engine resets it when it sends an `end` frame.
   */
  playAudioSinceLastUtterance: boolean;
}

export interface CallerFrameEvent {
  /** Utterance index in the script. */
  index: number;
  phase: "start" | "end";
  /**
   * Only for utterances scripted as barge-ins: true when agent audio was still queued at the
   * utterance's first speech frame (a real barge-in, counted for I(n)), false when it was not.
   */
  bargeIn?: boolean;
  /** `end` only: where speech ends inside this frame, ms from its start (just after the last speech sample; (0, 20]). */
  endOffsetMs?: number;
}

export interface CallerFrame {
  /** samplesPerFrame(format) samples. */
  pcm: Int16Array;
  /** The frame encoded for the stream (160 bytes μ-law / 640 bytes L16; a μ-law WAV's own bytes). Read-only: may be shared. */
  payload: Uint8Array;
  /** `pcm` encoded for the stream once (shared by every call saying the same audio; read-only). */
  wire?: WireFrame;
  /** Any sample above the speech threshold. */
  speech: boolean;
  /** The utterance's first or last speech frame. For a one-frame utterance this is `start`; see events. */
  event?: CallerFrameEvent;
  /** Every event on this frame (two for a one-frame utterance: start then end). */
  events: CallerFrameEvent[];
  /** True once the last utterance and the tail silence have been sent (stays true; silence follows). */
  done: boolean;
}

export interface CallerFeedOptions {
  /** Silence after the last utterance before `done`; default the script's tailSilenceMs, else 2000 ms. */
  tailSilenceMs?: number;
  /** after-reply / barge-in: how long to wait for a reply that never comes; default 10 000 ms. */
  replyTimeoutMs?: number;
  /** after-reply: playAudio silence required after play-out; default 500 ms (§12.3.4). */
  quietMs?: number;
  /** after-reply: give up waiting for a reply that keeps playing after this long; default 120 000 ms. */
  maxReplyWaitMs?: number;
  /** Speech threshold for `speech` and the annotations; default SPEECH_THRESHOLD. */
  speechThreshold?: number;
}

export interface LoadCallerAudioOptions {
  /** Relative WAV paths resolve against this directory (default: the process cwd). */
  baseDir?: string;
}

function framesOf(ms: number): number {
  return Math.ceil(ms / FRAME_MS);
}

/**
 * Decode every WAV of the caller's audio to the stream rate and annotate its speech frames, each
 * utterance's prefix spliced in (withPrefixes).
 */
export async function loadCallerAudio(
  audio: CallerAudio,
  format: MediaFormat,
  opts: LoadCallerAudioOptions = {},
): Promise<ResolvedUtterance[]> {
  const { shared, prefixes } = callerPrefixes(audio);
  return withPrefixes(await loadSharedAudio(shared, format, opts), prefixes, format);
}

/**
 * The caller audio without its utterances' in-memory prefixes (what every call saying the same
 * WAVs shares: a thread may resolve it once), and those prefixes by utterance.
 */
export function callerPrefixes(audio: CallerAudio): { shared: CallerAudio; prefixes: (CallerSamples | undefined)[] } {
  if (!("script" in audio) || !Array.isArray(audio.script) || !audio.script.some((u) => typeof u === "object" && u !== null && "prefix" in u)) return { shared: audio, prefixes: [] };
  const prefixes = audio.script.map((u, i) => (u.prefix === undefined ? undefined : checkPrefix(u.prefix, `caller audio: script[${i}]`)));
  return { shared: { ...audio, script: audio.script.map(({ prefix: _, ...u }) => u) }, prefixes };
}

/** Each utterance with its prefix spliced in (a new array, the utterances copied shallowly); without prefixes, `utterances` itself. */
export function withPrefixes(utterances: ResolvedUtterance[], prefixes: readonly (CallerSamples | undefined)[], format: MediaFormat): ResolvedUtterance[] {
  if (!prefixes.some(Boolean)) return utterances;
  return utterances.map((u, i) => {
    const p = prefixes[i];
    return p ? spliced(u, streamClip(p, format), samplesPerFrame(format)) : u;
  });
}

/** A prefix at the stream rate, padded with silence to whole frames, and annotated; once per prefix and format. */
const clips = new WeakMap<CallerSamples, Map<string, ResolvedUtterance>>();

function streamClip(p: CallerSamples, format: MediaFormat): ResolvedUtterance {
  let m = clips.get(p);
  if (!m) clips.set(p, (m = new Map()));
  let c = m.get(formatKey(format));
  if (!c) {
    const pcm = toStreamRate(p, format.sampleRate);
    const spf = samplesPerFrame(format);
    const whole = new Int16Array(Math.ceil(pcm.length / spf) * spf);
    whole.set(pcm);
    m.set(formatKey(format), (c = resolveUtterance(whole, format)));
  }
  return c;
}

/**
 * `u` with `clip` played from the start of the frame where its speech begins (the first sample over
 * the speech level; the start when none is), so the clip ends at most a frame before the speech.
 */
function spliced(u: ResolvedUtterance, clip: ResolvedUtterance, spf: number): ResolvedUtterance {
  let start = 0;
  while (start < u.pcm.length && Math.abs(u.pcm[start]) <= SPEECH_LEVEL) start++;
  const at = start === u.pcm.length ? 0 : Math.floor(start / spf);
  const n = clip.pcm.length / spf;
  const shift = (f: number): number => (f < 0 ? -1 : f >= at ? f + n : f);
  const inClip = (f: number): number => (f < 0 ? -1 : at + f);
  const firsts = [inClip(clip.firstSpeechFrame), shift(u.firstSpeechFrame)].filter((f) => f >= 0);
  const ends = [
    clip.speechEndSample !== undefined ? at * spf + clip.speechEndSample : undefined,
    u.speechEndSample !== undefined ? (u.speechEndSample > at * spf ? u.speechEndSample + n * spf : u.speechEndSample) : undefined,
  ].filter((e) => e !== undefined);
  const r: ResolvedUtterance = {
    ...u,
    insert: { pcm: clip.pcm, atFrame: at },
    firstSpeechFrame: firsts.length ? Math.min(...firsts) : -1,
    lastSpeechFrame: Math.max(inClip(clip.lastSpeechFrame), shift(u.lastSpeechFrame)),
  };
  if (ends.length) r.speechEndSample = Math.max(...ends);
  return r;
}

/** loadCallerAudio without prefixes: the WAVs decoded and annotated. */
async function loadSharedAudio(audio: CallerAudio, format: MediaFormat, opts: LoadCallerAudioOptions): Promise<ResolvedUtterance[]> {
  const checked = validateCallerAudio(audio, "caller audio", opts.baseDir);
  const items: { u: CallerUtterance; tail?: number }[] =
    "wav" in checked
      ? [{ u: { wav: checked.wav } }]
      : "script" in checked
        ? checked.script.map((u, i) => ({ u, tail: i === checked.script.length - 1 ? checked.tailSilenceMs : undefined }))
        : [];
  const out: ResolvedUtterance[] = [];
  // A WAV said several times is read once: its utterances share one array, so its frames are
  // encoded once for all of them (wire-frames.ts keeps them with the array).
  const byPath = new Map<string, { decoded: DecodedAudio; pcm: Int16Array }>();
  for (const { u, tail } of items) {
    let wav = byPath.get(u.wav);
    if (!wav) {
      const decoded = await readWavFile(u.wav);
      byPath.set(u.wav, (wav = { decoded, pcm: toStreamRate(decoded, format.sampleRate) }));
    }
    const decoded = wav.decoded;
    const r = resolveUtterance(wav.pcm, format, { silenceBeforeMs: u.silenceBeforeMs, start: u.start, source: u.wav });
    if (tail !== undefined) r.tailSilenceMs = tail;
    if (decoded.mulaw && decoded.sampleRate === 8000 && format.encoding === "PCMU" && format.sampleRate === 8000) {
      r.encoded = decoded.mulaw;
    }
    out.push(r);
  }
  return out;
}

/** Annotate one utterance's audio (at the stream rate): its first and last speech frames and the sample-accurate end. */
export function resolveUtterance(
  pcm: Int16Array,
  format: MediaFormat,
  u: Pick<CallerUtterance, "silenceBeforeMs" | "start"> & { source?: string } = {},
): ResolvedUtterance {
  const mask = speechMask(pcm, format.sampleRate, SPEECH_THRESHOLD, FRAME_MS);
  // The end of speech is found in exactly what the stub will decode (μ-law-quantised on PCMU), at
  // the stub VAD's level: both sides then name the same sample (openai-realtime.md §12.3.2).
  const end = speechEndSample(format.encoding === "PCMU" ? decodeMulaw(encodeMulaw(pcm)) : pcm);
  const spf = samplesPerFrame(format);
  const r: ResolvedUtterance = {
    pcm,
    silenceBeforeMs: u.silenceBeforeMs ?? 0,
    start: u.start ?? { kind: "after-silence" },
    firstSpeechFrame: mask.indexOf(1),
    lastSpeechFrame: end > 0 ? Math.max(mask.indexOf(1), Math.floor((end - 1) / spf)) : mask.lastIndexOf(1),
  };
  if (u.source !== undefined) r.source = u.source;
  if (end > 0) r.speechEndSample = end;
  return r;
}

type Phase = "gate" | "lead" | "speak" | "tail" | "done";

/** The events of a silent frame (most frames): one shared empty array, never written to. */
const NO_EVENTS = Object.freeze([]) as unknown as CallerFrameEvent[];

/** Produces the caller's frames; call next() once per 20 ms tick with the current play-out state. */
export class CallerFeed {
  private readonly spf: number;
  private readonly tailFrames: number;
  /** The options' timings and threshold, defaults filled in. */
  private readonly o: Required<Omit<CallerFeedOptions, "tailSilenceMs">>;
  private index = 0;
  private u = 0;
  private phase: Phase;
  private leadLeft = 0;
  private pos = 0;
  private tailLeft = 0;
  /** Frame index after the previous utterance's last speech frame (0 = stream start). */
  private sinceEndFrom = 0;
  private gateFrom = 0;
  /** barge-in: frame index and ms-ago at which the reply's first playAudio was first seen. */
  private replySeen: { at: number; agoMs: number } | null = null;
  private bargeInNow: boolean | undefined;
  /** Utterances that started because the reply never came or never finished (for reports). */
  readonly timedOut: number[] = [];
  /** The wire frames of the utterance being spoken (looked up once per utterance, not per frame). */
  private wires?: { pcm: Int16Array; frames: WireFrames };

  constructor(
    private readonly utterances: ResolvedUtterance[],
    private readonly format: MediaFormat,
    opts: CallerFeedOptions = {},
  ) {
    this.spf = samplesPerFrame(format);
    const tail = opts.tailSilenceMs ?? utterances[utterances.length - 1]?.tailSilenceMs ?? 2000;
    this.tailFrames = framesOf(Math.max(0, tail));
    this.o = {
      replyTimeoutMs: opts.replyTimeoutMs ?? 10_000,
      quietMs: opts.quietMs ?? 500,
      maxReplyWaitMs: opts.maxReplyWaitMs ?? 120_000,
      speechThreshold: opts.speechThreshold ?? SPEECH_THRESHOLD,
    };
    this.phase = utterances.length ? "gate" : "tail";
    this.tailLeft = this.tailFrames;
  }

  /** Frames produced so far (= the 1-based index of the last frame returned). */
  get frameIndex(): number {
    return this.index;
  }

  /** What the feed is doing: waiting for its turn, leading silence, speaking, tail, done. */
  get state(): { phase: Phase; utterance: number } {
    return { phase: this.phase, utterance: this.u };
  }

  /** More speech after what was scripted (`bwemu serve` says it into a live call): it plays after the current utterance. */
  append(u: ResolvedUtterance): void {
    this.utterances.push(u);
    if (this.phase === "tail" || this.phase === "done") {
      this.phase = "gate";
      this.gateFrom = this.index;
      this.tailLeft = this.tailFrames;
    }
  }

  next(playout: PlayoutState): CallerFrame {
    for (;;) {
      switch (this.phase) {
        case "gate":
          if (!this.gateOpen(playout)) return this.silent(false);
          this.phase = "lead";
          this.leadLeft = this.current().start?.kind === "barge-in" ? 0 : framesOf(this.current().silenceBeforeMs);
          continue;
        case "lead":
          if (this.leadLeft > 0) {
            this.leadLeft--;
            return this.silent(false);
          }
          this.phase = "speak";
          this.pos = 0;
          continue;
        case "speak":
          return this.speak(playout);
        case "tail":
          if (this.tailLeft > 0) {
            this.tailLeft--;
            if (this.tailLeft === 0) this.phase = "done";
            return this.silent(this.tailLeft === 0);
          }
          this.phase = "done";
          continue;
        case "done":
          return this.silent(true);
      }
    }
  }

  private current(): ResolvedUtterance {
    return this.utterances[this.u];
  }

  private gateOpen(p: PlayoutState): boolean {
    const start = this.current().start ?? { kind: "after-silence" as const };
    if (start.kind === "after-silence") return true;
    const sinceEndMs = (this.index - this.sinceEndFrom) * FRAME_MS;
    const gateMs = (this.index - this.gateFrom) * FRAME_MS;
    if (start.kind === "after-reply") {
      if (!p.playAudioSinceLastUtterance) {
        const timeout = start.timeoutMs ?? this.o.replyTimeoutMs;
        if (sinceEndMs >= timeout) return this.timeout();
        return false;
      }
      if (p.queuedMs <= 0 && p.msSinceLastPlayAudio !== null && p.msSinceLastPlayAudio >= this.o.quietMs) return true;
      if (gateMs >= this.o.maxReplyWaitMs) return this.timeout();
      return false;
    }
    // barge-in
    if (p.playAudioSinceLastUtterance) {
      if (!this.replySeen) {
        // The first playAudio arrived within the last frame; msSinceLastPlayAudio bounds how long ago.
        const ago = Math.min(FRAME_MS, Math.max(0, p.msSinceLastPlayAudio ?? 0));
        this.replySeen = { at: this.index, agoMs: ago };
      }
      const elapsed = (this.index - this.replySeen.at) * FRAME_MS + this.replySeen.agoMs;
      return elapsed >= start.offsetMs;
    }
    if (sinceEndMs >= this.o.replyTimeoutMs) return this.timeout();
    return false;
  }

  private timeout(): true {
    this.timedOut.push(this.u);
    return true;
  }

  private speak(p: PlayoutState): CallerFrame {
    const utt = this.current();
    const clipFrames = utt.insert ? utt.insert.pcm.length / this.spf : 0;
    const total = Math.max(1, Math.ceil(utt.pcm.length / this.spf)) + clipFrames;
    const a = this.pos * this.spf;
    // The frame's source: the utterance's shared audio, or its inserted clip.
    let src = utt.pcm;
    let encoded = utt.encoded;
    let i = this.pos;
    if (utt.insert && i >= utt.insert.atFrame) {
      if (i < utt.insert.atFrame + clipFrames) {
        src = utt.insert.pcm;
        encoded = undefined;
        i -= utt.insert.atFrame;
      } else i -= clipFrames;
    }
    const at = i * this.spf;
    if (this.wires?.pcm !== src) this.wires = { pcm: src, frames: wireFramesOf(src, this.format) };
    const wire = this.wires.frames.frame(i);
    // The frame's samples, kept with its encoding (shared by every call saying it): no view per tick.
    const pcm = wire.source;
    // Most frames carry no event: they share NO_EVENTS.
    const events: CallerFrameEvent[] = this.pos === utt.firstSpeechFrame || this.pos === utt.lastSpeechFrame ? [] : NO_EVENTS;
    const isBarge = utt.start?.kind === "barge-in";
    if (this.pos === utt.firstSpeechFrame) {
      this.bargeInNow = isBarge ? p.queuedMs > 0 : undefined;
      events.push(this.ev("start"));
    }
    if (this.pos === utt.lastSpeechFrame) {
      const e = this.ev("end");
      const inFrame = utt.speechEndSample !== undefined ? utt.speechEndSample - a : this.spf;
      e.endOffsetMs = (Math.min(this.spf, Math.max(1, inFrame)) * FRAME_MS) / this.spf;
      events.push(e);
    }
    this.pos++;
    this.index++;
    if (this.pos === utt.lastSpeechFrame + 1) this.sinceEndFrom = this.index;
    let done = false;
    if (this.pos >= total) {
      if (utt.lastSpeechFrame < 0) this.sinceEndFrom = this.index;
      this.u++;
      this.replySeen = null;
      this.gateFrom = this.index;
      if (this.u < this.utterances.length) this.phase = "gate";
      else {
        this.phase = this.tailFrames > 0 ? "tail" : "done";
        done = this.tailFrames === 0;
      }
    }
    let payload = wire.bytes;
    if (encoded) {
      // A view of the WAV's own bytes (read-only, like `wire`); only a short last frame is copied and padded.
      payload = encoded.subarray(at, Math.min(encoded.length, at + this.spf));
      if (payload.length < this.spf) {
        const padded = new Uint8Array(this.spf).fill(MULAW_SILENCE);
        padded.set(payload);
        payload = padded;
      }
    }
    // `event` always present (undefined on most frames): every frame has one shape for the ticks that read it.
    return { pcm, payload, wire, speech: !isSilentFrame(pcm, this.o.speechThreshold), event: events[0], events, done };
  }

  private ev(phase: "start" | "end"): CallerFrameEvent {
    // Every event has one shape (bargeIn and endOffsetMs undefined when they do not apply).
    return { index: this.u, phase, bargeIn: this.bargeInNow, endOffsetMs: undefined };
  }

  private silent(done: boolean): CallerFrame {
    this.index++;
    const wire = silentWireFrame(this.format);
    return { pcm: wire.pcm, payload: wire.bytes, wire, speech: false, event: undefined, events: NO_EVENTS, done };
  }
}
