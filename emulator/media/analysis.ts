// Audio analysis for checks and reports: levels, silence/speech frames (the fixture annotations of
// openai-realtime.md §12.3.1), normalised cross-correlation (the ≥ 0.98 audio checks of
// conformance.md), bit-exact frame comparison (PCMU round trips), and spectral signatures
// (per-call tones for concurrency isolation).

import { fft, nextPow2 } from "./fft.js";

/**
 * A frame is speech when any sample exceeds this magnitude (≈ −54 dBFS). Fixtures separate utterances
 * with digital silence, so the exact value hardly matters; it only has to sit above μ-law's ±8 step
 * near zero and resampling ringing.
 */
export const SPEECH_THRESHOLD = 64;

/** Root mean square in sample units (0 for an empty signal). */
export function rms(pcm: Int16Array): number {
  if (pcm.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < pcm.length; i++) s += pcm[i] * pcm[i];
  return Math.sqrt(s / pcm.length);
}

/** RMS level in dBFS (full-scale sine ≈ −3 dBFS); −Infinity for silence. */
export function rmsDbfs(pcm: Int16Array): number {
  return 20 * Math.log10(rms(pcm) / 32768);
}

/** True when no sample's magnitude exceeds `threshold`. */
export function isSilentFrame(pcm: Int16Array, threshold = SPEECH_THRESHOLD): boolean {
  for (let i = 0; i < pcm.length; i++) if (pcm[i] > threshold || pcm[i] < -threshold) return false;
  return true;
}

export interface SpeechSpan {
  /** Index of the first 20 ms frame holding speech (frame 0 = the signal's first frame). */
  firstFrame: number;
  /** Index of the last frame holding speech. */
  lastFrame: number;
}

export interface SpeechFrameOptions {
  threshold?: number;
  /** Silence shorter than this inside speech does not split an utterance (default 400 ms). */
  minGapMs?: number;
  frameMs?: number;
}

/** Boundary of frame k in samples (exact for rates where a frame is not a whole number of samples). */
function frameStart(k: number, rate: number, frameMs: number): number {
  return Math.floor((k * rate * frameMs) / 1000);
}

/** Number of frames a signal of n samples spans (the last one possibly partial). */
export function frameCount(n: number, rate: number, frameMs = 20): number {
  return Math.ceil((n * 1000) / (rate * frameMs));
}

/** Per-frame speech flags. */
export function speechMask(pcm: Int16Array, rate: number, threshold = SPEECH_THRESHOLD, frameMs = 20): Uint8Array {
  const frames = frameCount(pcm.length, rate, frameMs);
  const mask = new Uint8Array(frames);
  for (let k = 0; k < frames; k++) {
    const a = frameStart(k, rate, frameMs);
    const b = Math.min(pcm.length, frameStart(k + 1, rate, frameMs));
    mask[k] = isSilentFrame(pcm.subarray(a, b), threshold) ? 0 : 1;
  }
  return mask;
}

/** First and last speech frame of each utterance; utterances are split by silence ≥ minGapMs. */
export function speechFrames(pcm: Int16Array, rate: number, opts: SpeechFrameOptions = {}): SpeechSpan[] {
  const frameMs = opts.frameMs ?? 20;
  const mask = speechMask(pcm, rate, opts.threshold ?? SPEECH_THRESHOLD, frameMs);
  const minGapFrames = Math.max(1, Math.ceil((opts.minGapMs ?? 400) / frameMs));
  const spans: SpeechSpan[] = [];
  let cur: SpeechSpan | null = null;
  for (let k = 0; k < mask.length; k++) {
    if (!mask[k]) continue;
    if (cur && k - cur.lastFrame - 1 < minGapFrames) cur.lastFrame = k;
    else {
      cur = { firstFrame: k, lastFrame: k };
      spans.push(cur);
    }
  }
  return spans;
}

export interface SilenceRun {
  startMs: number;
  endMs: number;
}

/** Runs of silent frames lasting at least minMs (e.g. gaps in played-out audio). */
export function silences(pcm: Int16Array, rate: number, opts: { minMs?: number; threshold?: number; frameMs?: number } = {}): SilenceRun[] {
  const frameMs = opts.frameMs ?? 20;
  const mask = speechMask(pcm, rate, opts.threshold ?? SPEECH_THRESHOLD, frameMs);
  const out: SilenceRun[] = [];
  let start = -1;
  for (let k = 0; k <= mask.length; k++) {
    const silent = k < mask.length && !mask[k];
    if (silent && start < 0) start = k;
    if (!silent && start >= 0) {
      if ((k - start) * frameMs >= (opts.minMs ?? 100)) out.push({ startMs: start * frameMs, endMs: k * frameMs });
      start = -1;
    }
  }
  return out;
}

/** Successive differences of timestamps (µs) in ms, e.g. frame inter-arrival times. */
export function gapsMs(timesUs: number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < timesUs.length; i++) out.push((timesUs[i] - timesUs[i - 1]) / 1000);
  return out;
}

export interface CorrelationResult {
  /** Normalised correlation at the best lag, in [-1, 1] (1 also when both overlaps are all zeros). */
  r: number;
  /** b[i + lag] lines up with a[i]: a positive lag means b is delayed relative to a. */
  lag: number;
}

/**
 * Normalised cross-correlation with a lag search in [-maxLagSamples, maxLagSamples]. At each lag the
 * sum over the overlap is divided by the energies of the two overlapping parts, so a clip found
 * inside a longer recording scores 1. Lags whose overlap is under half the shorter signal are not
 * considered (a few samples of overlap would correlate perfectly by accident).
 */
export function correlation(a: Int16Array, b: Int16Array, maxLagSamples = 0): CorrelationResult {
  const na = a.length;
  const nb = b.length;
  if (na === 0 || nb === 0) return { r: 0, lag: 0 };
  const maxLag = Math.max(0, Math.floor(maxLagSamples));
  const minOverlap = Math.max(1, Math.ceil(Math.min(na, nb) / 2));
  // Prefix sums of squares for per-lag overlap energies.
  const pa = new Float64Array(na + 1);
  for (let i = 0; i < na; i++) pa[i + 1] = pa[i] + a[i] * a[i];
  const pb = new Float64Array(nb + 1);
  for (let i = 0; i < nb; i++) pb[i + 1] = pb[i] + b[i] * b[i];

  const lo = Math.max(-maxLag, -(na - 1));
  const hi = Math.min(maxLag, nb - 1);
  const useFft = na * (hi - lo + 1) > 4_000_000;
  let cross: (k: number) => number;
  if (useFft) {
    const n = nextPow2(Math.max(na, nb) + maxLag + 1);
    const ar = new Float64Array(n);
    const ai = new Float64Array(n);
    const br = new Float64Array(n);
    const bi = new Float64Array(n);
    for (let i = 0; i < na; i++) ar[i] = a[i];
    for (let i = 0; i < nb; i++) br[i] = b[i];
    fft(ar, ai);
    fft(br, bi);
    // conj(A)·B → Σ a[i]·b[i+k]
    for (let i = 0; i < n; i++) {
      const re = ar[i] * br[i] + ai[i] * bi[i];
      const im = ar[i] * bi[i] - ai[i] * br[i];
      ar[i] = re;
      ai[i] = im;
    }
    fft(ar, ai, true);
    cross = (k) => ar[(k + n) % n] / n;
  } else {
    cross = (k) => {
      const i0 = Math.max(0, -k);
      const i1 = Math.min(na, nb - k);
      let s = 0;
      for (let i = i0; i < i1; i++) s += a[i] * b[i + k];
      return s;
    };
  }

  let best: CorrelationResult | null = null;
  for (let k = lo; k <= hi; k++) {
    const i0 = Math.max(0, -k);
    const i1 = Math.min(na, nb - k);
    if (i1 - i0 < minOverlap) continue;
    const ea = pa[i1] - pa[i0];
    const eb = pb[i1 + k] - pb[i0 + k];
    let r: number;
    if (ea === 0 && eb === 0) r = 1;
    else if (ea === 0 || eb === 0) r = 0;
    else r = Math.max(-1, Math.min(1, cross(k) / Math.sqrt(ea * eb)));
    if (!best || r > best.r || (r === best.r && Math.abs(k) < Math.abs(best.lag))) best = { r, lag: k };
  }
  return best ?? { r: 0, lag: 0 };
}

export interface FrameComparison {
  /** Same count, same bytes, same order. */
  identical: boolean;
  /** Sent frames that never arrived. */
  dropped: number;
  /** Received frames whose content was already used up (a repeat). */
  duplicated: number;
  /** Received frames that arrived before a frame sent earlier than them. */
  reordered: number;
  /** Received frames matching no sent frame at all (corrupted or foreign audio). */
  unexpected: number;
  /** Index of the first received frame that differs from the sent frame at the same index, or -1. */
  firstMismatch: number;
}

/**
 * Bit-exact comparison of frame sequences (e.g. 160-byte μ-law frames sent vs played). Frames with
 * identical content (silence) are interchangeable, so each received frame is matched to the earliest
 * unmatched sent frame with the same bytes.
 */
export function compareFrames(sent: Uint8Array[], got: Uint8Array[]): FrameComparison {
  const key = (f: Uint8Array) => Buffer.from(f.buffer, f.byteOffset, f.byteLength).toString("latin1");
  const queues = new Map<string, number[]>();
  sent.forEach((f, i) => {
    const k = key(f);
    const q = queues.get(k);
    if (q) q.push(i);
    else queues.set(k, [i]);
  });
  const heads = new Map<string, number>();
  let duplicated = 0;
  let reordered = 0;
  let unexpected = 0;
  let highest = -1;
  let matched = 0;
  let firstMismatch = -1;
  got.forEach((f, j) => {
    const k = key(f);
    if (firstMismatch < 0 && (j >= sent.length || key(sent[j]) !== k)) firstMismatch = j;
    const q = queues.get(k);
    if (!q) {
      unexpected++;
      return;
    }
    const h = heads.get(k) ?? 0;
    if (h >= q.length) {
      duplicated++;
      return;
    }
    heads.set(k, h + 1);
    matched++;
    const s = q[h];
    if (s < highest) reordered++;
    else highest = s;
  });
  if (firstMismatch < 0 && got.length < sent.length) firstMismatch = got.length;
  const dropped = sent.length - matched;
  return {
    identical: firstMismatch < 0 && got.length === sent.length,
    dropped,
    duplicated,
    reordered,
    unexpected,
    firstMismatch,
  };
}

/** Cut a byte stream into frames of `frameBytes` (a short tail frame is kept as is). */
export function splitFrames(bytes: Uint8Array, frameBytes: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += frameBytes) out.push(bytes.subarray(i, Math.min(bytes.length, i + frameBytes)));
  return out;
}

/** |X(f)|² of pcm[0, n) by Goertzel's recurrence (coef = 2·cos(2πf/rate)). */
export function goertzelPower(pcm: Int16Array, n: number, coef: number): number {
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const s0 = pcm[i] + coef * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coef * s1 * s2;
}

/** Amplitude (sample units) of the component at `freqHz`, by the Goertzel algorithm. */
export function goertzel(pcm: Int16Array, rate: number, freqHz: number): number {
  const n = pcm.length;
  if (n === 0) return 0;
  const power = goertzelPower(pcm, n, 2 * Math.cos((2 * Math.PI * freqHz) / rate));
  return (2 * Math.sqrt(Math.max(0, power))) / n;
}

/**
 * The strongest frequency (Hz) between minHz and maxHz: Hann-windowed FFT of up to 65 536 samples from
 * the middle of the signal, refined by parabolic interpolation of the log magnitude. 0 for silence.
 */
export function dominantFrequency(pcm: Int16Array, rate: number, opts: { minHz?: number; maxHz?: number } = {}): number {
  const maxN = 65536;
  const seg = pcm.length > maxN ? pcm.subarray((pcm.length - maxN) >> 1, ((pcm.length - maxN) >> 1) + maxN) : pcm;
  if (seg.length < 2) return 0;
  const n = Math.max(4096, nextPow2(seg.length));
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  let energy = 0;
  for (let i = 0; i < seg.length; i++) {
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (seg.length - 1));
    re[i] = seg[i] * w;
    energy += seg[i] * seg[i];
  }
  if (energy === 0) return 0;
  fft(re, im);
  const binHz = rate / n;
  const lo = Math.max(1, Math.ceil((opts.minHz ?? 20) / binHz));
  const hi = Math.min(n / 2 - 1, Math.floor((opts.maxHz ?? rate / 2) / binHz));
  let peak = -1;
  let peakMag = -1;
  const mag = (k: number) => Math.hypot(re[k], im[k]);
  for (let k = lo; k <= hi; k++) {
    const m = mag(k);
    if (m > peakMag) {
      peakMag = m;
      peak = k;
    }
  }
  if (peak < 0) return 0;
  const l = Math.log(mag(peak - 1) + 1e-12);
  const c = Math.log(peakMag + 1e-12);
  const r = Math.log(mag(peak + 1) + 1e-12);
  const denom = l - 2 * c + r;
  const delta = denom === 0 ? 0 : (0.5 * (l - r)) / denom;
  return (peak + Math.max(-0.5, Math.min(0.5, delta))) * binHz;
}
