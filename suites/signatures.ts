// Per-call audio signatures and their detection: the one detector the concurrency conformance case
// (resilience/concurrent-isolation.ts) and `bwemu load`'s cross-talk judge (src/load/crosstalk.ts)
// both use. A signature is one tone or a tone pair; every frequency sits below 3.4 kHz and off the
// DTMF rows/columns, so neither the phone band nor a DTMF detector in the bridge gets in the way.
// Detection is Goertzel on the candidates' few bins, block by block (no FFT): per 50 ms block it costs
// one multiply-add per sample per bin, and silent blocks cost one pass for their energy.

import { goertzelPower } from "../emulator/media/analysis.js";

/** Distinct caller tones for the concurrency scenario: far apart, below 3.4 kHz, off DTMF rows/columns. */
export function signatureHz(i: number): number {
  return 330 + 230 * i;
}

/** A signature: the frequencies (Hz) that sound together. */
export type Signature = readonly number[];

export interface SignatureHit {
  /** Index of the candidate heard. */
  signature: number;
  /** First sample of the run of blocks where it was heard. */
  atSample: number;
  /** Blocks the run held for. */
  blocks: number;
}

export interface DetectOptions {
  /** Block length (default 50 ms: 20 Hz resolution, ample for candidates ≥ 70 Hz apart). */
  blockMs?: number;
  /** Consecutive blocks a signature must hold for to count (default 2: 100 ms of steady tone; speech does not hold still that long). */
  minBlocks?: number;
  /** Blocks quieter than this RMS (sample units) are skipped (default ≈ −45 dBFS, the speech level). */
  minRms?: number;
}

/**
 * Which candidate signatures sound in audio fed in pieces of any size, each run of blocks where one
 * held. A block holds a signature when every one of its tones carries a real share of the block's
 * energy (≥ 0.3/|tones|) and the tones together at least 40 %: a pure tone or pair carries ~100 %, two
 * pairs mixed ~50 % each, speech a few per cent per bin. A bin is computed only when a candidate still
 * needs it (a pair's second tone only after its first passed), so speech blocks cost few bins.
 */
export class SignatureDetector {
  private readonly n: number;
  private readonly minBlocks: number;
  private readonly minEnergy: number;
  private readonly coef: number[];
  private readonly tonesOf: number[][];
  private readonly share: Float64Array;
  private readonly runStart: Int32Array;
  private readonly runLen: Int32Array;
  private readonly block: Int16Array;
  private fill = 0;
  private at = 0;
  private readonly hits: SignatureHit[] = [];

  constructor(
    rate: number,
    private readonly candidates: readonly Signature[],
    o: DetectOptions = {},
  ) {
    this.n = Math.round((rate * (o.blockMs ?? 50)) / 1000);
    this.minBlocks = o.minBlocks ?? 2;
    this.minEnergy = (o.minRms ?? 184) ** 2 * this.n;
    const bins = [...new Set(candidates.flat())];
    const slot = new Map(bins.map((f, i) => [f, i]));
    this.coef = bins.map((f) => 2 * Math.cos((2 * Math.PI * f) / rate));
    this.tonesOf = candidates.map((c) => c.map((f) => slot.get(f)!));
    this.share = new Float64Array(bins.length);
    this.runStart = new Int32Array(candidates.length);
    this.runLen = new Int32Array(candidates.length);
    this.block = new Int16Array(this.n);
  }

  push(pcm: Int16Array): void {
    let i = 0;
    while (i < pcm.length) {
      const take = Math.min(this.n - this.fill, pcm.length - i);
      this.block.set(pcm.subarray(i, i + take), this.fill);
      this.fill += take;
      i += take;
      if (this.fill === this.n) {
        this.analyse();
        this.fill = 0;
        this.at += this.n;
      }
    }
  }

  /** Every run heard so far (open runs included), in order of their start. */
  runs(): SignatureHit[] {
    const open: SignatureHit[] = [];
    for (let c = 0; c < this.candidates.length; c++) if (this.runLen[c] >= this.minBlocks) open.push({ signature: c, atSample: this.runStart[c], blocks: this.runLen[c] });
    return [...this.hits, ...open].sort((x, y) => x.atSample - y.atSample || x.signature - y.signature);
  }

  private end(c: number): void {
    if (this.runLen[c] >= this.minBlocks) this.hits.push({ signature: c, atSample: this.runStart[c], blocks: this.runLen[c] });
    this.runLen[c] = 0;
  }

  private analyse(): void {
    const { block, n } = this;
    let e = 0;
    for (let i = 0; i < n; i++) e += block[i] * block[i];
    if (e < this.minEnergy) {
      for (let c = 0; c < this.candidates.length; c++) if (this.runLen[c]) this.end(c);
      return;
    }
    // |X(f)|² of a full-scale tone is (A·n/2)², its energy A²·n/2: share 1 for a pure tone.
    const norm = (n * e) / 2;
    this.share.fill(-1);
    for (let c = 0; c < this.candidates.length; c++) {
      const tones = this.tonesOf[c];
      const min = 0.3 / tones.length;
      let sum = 0;
      let holds = true;
      for (const t of tones) {
        if (this.share[t] < 0) this.share[t] = goertzelPower(block, n, this.coef[t]) / norm;
        sum += this.share[t];
        if (this.share[t] < min) {
          holds = false;
          break;
        }
      }
      if (!holds || sum < 0.4) {
        if (this.runLen[c]) this.end(c);
        continue;
      }
      if (this.runLen[c]++ === 0) this.runStart[c] = this.at;
    }
  }
}

/** Every run of a candidate signature in `pcm` (see SignatureDetector). */
export function detectSignatures(pcm: Int16Array, rate: number, candidates: readonly Signature[], o: DetectOptions = {}): SignatureHit[] {
  const d = new SignatureDetector(rate, candidates, o);
  d.push(pcm);
  return d.runs();
}


/** One run of played audio: when it started playing (µs, the call's clock) and where it lies in the stream's `playedPcm` (8 kHz). */
export interface PlayedRun {
  t: number;
  from: number;
  len: number;
}

interface PlayEvent {
  kind: string;
  t: number;
  data: unknown;
}

/**
 * The played runs of a stream (`audio.play` … `audio.drained`, in play order) laid over its
 * `playedPcm`, so an offset in the recording maps to the time it was heard.
 */
export function playedRuns(events: readonly PlayEvent[], streamId: string, playedLength: number): PlayedRun[] {
  const of = (kind: string) => events.filter((e) => e.kind === kind && (e.data as { streamId?: string }).streamId === streamId);
  const ends = of("audio.drained");
  const runs: PlayedRun[] = [];
  let at = 0;
  for (const [i, run] of of("audio.play").entries()) {
    const len = Math.min(playedLength - at, ends[i] ? Math.round((ends[i].data as { playedMs: number }).playedMs * 8) : playedLength - at);
    runs.push({ t: run.t, from: at, len: Math.max(0, len) });
    at += Math.max(0, len);
  }
  return runs;
}
