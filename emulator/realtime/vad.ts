// Deterministic energy VAD on the input timeline (spec §6.3, §6.4). Pure: fed decoded samples per
// append, returns onset/offset events with ms offsets on the input timeline. The client's `threshold`
// is echoed by the session, never modelled here (§6.4): fixtures separate utterances with digital
// silence, so a fixed energy threshold finds exact, reproducible boundaries.
//
// Onset: the first analysis window (10 ms) whose RMS is over the level. End of speech: sample-accurate,
// the position just after the last sample whose magnitude is over that same level (a window over the
// level always holds one), so it does not depend on where the window grid falls and the carrier finds
// the same sample in what it sent (emulator/media/speech-level.ts). The turn ends once the input
// timeline reaches that end + `silence_duration_ms` with no sample over the level in between; the
// event names the append holding the last speech sample and the append that completed the hangover
// (openai-realtime.md §12.3.2 S_end; the hangover's audio span gives the expected think time exactly).

import { levelOfDbfs } from "../media/speech-level.js";

export interface VadSettings {
  /** Analysis window (§6.4 suggests 10 ms). */
  windowMs: number;
  /** A window is speech when its RMS exceeds this level (dB relative to full scale); a sample is speech when its magnitude does. */
  energyThresholdDbfs: number;
  /** `speech_started` is sent once the input timeline passes the onset window by this much (§6.4). */
  onsetDelayMs: number;
  /**
   * `silence_duration_ms` filled in when a client sends a bare `{type:"server_vad"}` (§4.1): live shows
   * 200; the docs say 500. Also the session default.
   */
  defaultSilenceDurationMs: number;
  /** Hangover used for `semantic_vad` per eagerness; undefined = same as `defaultSilenceDurationMs` (§6.4). */
  semanticHangoverMs?: Partial<Record<"low" | "medium" | "high" | "auto", number>>;
}

export const DEFAULT_VAD: VadSettings = {
  windowMs: 10,
  energyThresholdDbfs: -45,
  onsetDelayMs: 0,
  defaultSilenceDurationMs: 200,
};

export interface VadParams {
  prefixPaddingMs: number;
  silenceDurationMs: number;
}

/** One push (append) on the input timeline: its tag (the session passes the receive time) and span. */
export interface PushSpan {
  tag: number;
  fromMs: number;
  toMs: number;
}

export type VadEvent =
  /** `onsetMs`: start of the first loud window; `tag`: the tag of the push that completed it. */
  | { kind: "onset"; onsetMs: number; tag: number }
  /**
   * `endMs`: just after the last speech sample (sample-accurate); `stopMs` = endMs + silence;
   * `endPush`: the push holding the last speech sample; `stopPush`: the push in which the input
   * timeline reached `stopMs` (`endTag` = `endPush.tag`).
   */
  | { kind: "offset"; endMs: number; stopMs: number; endTag: number; endPush: PushSpan; stopPush: PushSpan };

const EPS = 1e-9;

/** Energy detector with window carry-over, so any append size works (§5.2). */
export class EnergyVad {
  /** Start of the window being filled, on the input timeline (ms). */
  private windowStartMs = 0;
  private winCount = 0;
  private winSum = 0;
  /** The last speech sample of the window being filled: its end position and push. */
  private winLastLoud?: { endMs: number; push: PushSpan };
  private rate = 0;
  private inSpeech = false;
  private onsetPending: { onsetMs: number; tag: number } | undefined;
  /** While speaking: just after the last speech sample, and the push that held it. */
  private speechEnd?: { endMs: number; push: PushSpan };
  /** Samples up to here belong to an utterance that already ended (no new onset from them). */
  private quietUntilMs = -Infinity;
  private readonly threshold: number;

  constructor(private readonly settings: VadSettings) {
    this.threshold = levelOfDbfs(settings.energyThresholdDbfs);
  }

  get speaking(): boolean {
    return this.inSpeech;
  }

  /**
   * Feed one append's samples. `startMs` is where they begin on the input timeline (the session counts
   * the timeline; the VAD follows it so a format change or a `clear` keeps both aligned).
   */
  push(samples: Int16Array, sampleRate: number, startMs: number, params: VadParams, tag: number): VadEvent[] {
    const out: VadEvent[] = [];
    if (sampleRate !== this.rate) {
      // Format change: drop the partial window (at most one window of audio goes unanalysed).
      this.clearWindow();
      this.rate = sampleRate;
    }
    if (this.winCount === 0) this.windowStartMs = startMs;
    const msPer = 1000 / sampleRate;
    const span: PushSpan = { tag, fromMs: startMs, toMs: startMs + samples.length * msPer };
    const win = Math.max(1, Math.round((sampleRate * this.settings.windowMs) / 1000));
    const winMs = win * msPer;
    const thr = this.threshold;
    for (let i = 0; i < samples.length; i++) {
      const x = samples[i];
      const pos = startMs + (i + 1) * msPer; // just after sample i
      const loud = x > thr || x < -thr;
      if (this.inSpeech) {
        if (loud) this.speechEnd = { endMs: pos, push: span };
        else if (pos - this.speechEnd!.endMs >= params.silenceDurationMs - EPS) this.offset(params, span, pos, out);
      }
      if (loud) this.winLastLoud = { endMs: pos, push: span };
      this.winSum += x * x;
      if (++this.winCount < win) continue;
      const windowLoud = Math.sqrt(this.winSum / win) > thr;
      const start = this.windowStartMs;
      const end = start + winMs;
      if (!this.inSpeech && windowLoud && this.winLastLoud && this.winLastLoud.endMs > this.quietUntilMs + EPS) {
        this.inSpeech = true;
        this.onsetPending = { onsetMs: start, tag };
        this.speechEnd = this.winLastLoud;
      }
      if (this.onsetPending && end >= this.onsetPending.onsetMs + this.settings.windowMs + this.settings.onsetDelayMs - EPS) {
        out.push({ kind: "onset", ...this.onsetPending });
        this.onsetPending = undefined;
      }
      this.clearWindow();
      this.windowStartMs = end;
    }
    return out;
  }

  private offset(params: VadParams, span: PushSpan, pos: number, out: VadEvent[]): void {
    if (this.onsetPending) out.push({ kind: "onset", ...this.onsetPending });
    this.onsetPending = undefined;
    this.inSpeech = false;
    this.quietUntilMs = pos;
    const e = this.speechEnd!;
    this.speechEnd = undefined;
    out.push({ kind: "offset", endMs: e.endMs, stopMs: e.endMs + params.silenceDurationMs, endTag: e.push.tag, endPush: e.push, stopPush: span });
  }

  private clearWindow(): void {
    this.winCount = 0;
    this.winSum = 0;
    this.winLastLoud = undefined;
  }

  /** Forget any speech in progress (buffer cleared, manual commit, VAD turned off). */
  reset(): void {
    this.inSpeech = false;
    this.onsetPending = undefined;
    this.speechEnd = undefined;
    this.clearWindow();
  }
}
