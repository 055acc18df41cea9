// Deterministic energy VAD on the input timeline (spec §6.3, §6.4). Pure: fed decoded samples per
// append, returns onset/offset events with ms offsets on the input timeline. The client's `threshold`
// is echoed by the session, never modelled here (§6.4): fixtures separate utterances with digital
// silence, so a fixed energy threshold finds exact, reproducible boundaries.

export interface VadSettings {
  /** Analysis window (§6.4 suggests 10 ms). */
  windowMs: number;
  /** A window is speech when its RMS exceeds this level (dB relative to full scale). */
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

export type VadEvent =
  /** `onsetMs`: start of the first loud window; `tag`: the tag of the push that completed it. */
  | { kind: "onset"; onsetMs: number; tag: number }
  /** `endMs`: end of the last loud window; `stopMs` = endMs + silence; `endTag`: push that completed the last loud window. */
  | { kind: "offset"; endMs: number; stopMs: number; endTag: number };

/** Energy detector with window carry-over, so any append size works (§5.2). */
export class EnergyVad {
  /** Input timeline position in ms, counted in whole windows already analysed plus the partial window. */
  private windowStartMs = 0;
  private carry: number[] = [];
  private carryRate = 0;
  private inSpeech = false;
  private onsetPending: { onsetMs: number; tag: number } | undefined;
  private lastLoudEndMs = 0;
  private lastLoudTag = 0;
  private readonly threshold: number;

  constructor(private readonly settings: VadSettings) {
    this.threshold = 32768 * 10 ** (settings.energyThresholdDbfs / 20);
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
    if (sampleRate !== this.carryRate) {
      // Format change: drop the partial window (at most one window of audio goes unanalysed).
      this.carry = [];
      this.carryRate = sampleRate;
      this.windowStartMs = startMs;
    }
    if (this.carry.length === 0) this.windowStartMs = startMs;
    const win = Math.max(1, Math.round((sampleRate * this.settings.windowMs) / 1000));
    const winMs = (win * 1000) / sampleRate;
    let i = 0;
    while (i < samples.length) {
      const take = Math.min(win - this.carry.length, samples.length - i);
      if (this.carry.length === 0 && take === win) {
        // Fast path: a whole window inside this append.
        let sum = 0;
        for (let k = i; k < i + win; k++) sum += samples[k] * samples[k];
        i += win;
        this.window(Math.sqrt(sum / win) > this.threshold, winMs, params, tag, out);
        continue;
      }
      for (let k = 0; k < take; k++) this.carry.push(samples[i + k]);
      i += take;
      if (this.carry.length < win) break;
      let sum = 0;
      for (const x of this.carry) sum += x * x;
      this.carry = [];
      this.window(Math.sqrt(sum / win) > this.threshold, winMs, params, tag, out);
    }
    return out;
  }

  private window(loud: boolean, winMs: number, params: VadParams, tag: number, out: VadEvent[]): void {
    const start = this.windowStartMs;
    const end = start + winMs;
    this.windowStartMs = end;
    this.analyse(loud, start, end, params, tag, out);
  }

  private analyse(loud: boolean, start: number, end: number, params: VadParams, tag: number, out: VadEvent[]): void {
    if (!this.inSpeech) {
      if (!loud) return;
      this.inSpeech = true;
      this.onsetPending = { onsetMs: start, tag };
      this.lastLoudEndMs = end;
      this.lastLoudTag = tag;
    } else if (loud) {
      this.lastLoudEndMs = end;
      this.lastLoudTag = tag;
    }
    if (this.onsetPending && end >= this.onsetPending.onsetMs + this.settings.windowMs + this.settings.onsetDelayMs - 1e-9) {
      out.push({ kind: "onset", ...this.onsetPending });
      this.onsetPending = undefined;
    }
    if (!loud && end - this.lastLoudEndMs >= params.silenceDurationMs - 1e-9) {
      if (this.onsetPending) out.push({ kind: "onset", ...this.onsetPending });
      this.onsetPending = undefined;
      this.inSpeech = false;
      out.push({ kind: "offset", endMs: this.lastLoudEndMs, stopMs: this.lastLoudEndMs + params.silenceDurationMs, endTag: this.lastLoudTag });
    }
  }

  /** Forget any speech in progress (buffer cleared, manual commit, VAD turned off). */
  reset(): void {
    this.inSpeech = false;
    this.onsetPending = undefined;
    this.carry = [];
  }
}
