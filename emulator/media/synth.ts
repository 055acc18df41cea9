// Deterministic signal generators: test tones, DTMF, ringback, a speech-like signal that energy VADs
// take for speech, and the duration model the carrier uses for SpeakSentence (bandwidth.md §2.16/2.17).

import { concatArrays } from "./concat.js";

function samples(ms: number, rate: number): number {
  if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`duration must be ≥ 0 ms, got ${ms}`);
  if (!Number.isInteger(rate) || rate <= 0) throw new RangeError(`bad sample rate ${rate}`);
  return Math.round((ms * rate) / 1000);
}

function q(v: number): number {
  const r = Math.round(v);
  return r > 32767 ? 32767 : r < -32768 ? -32768 : r;
}

/** A sine at `freqHz`, amplitude `amp` × full scale (default 0.5), starting at phase 0. */
export function tone(freqHz: number, ms: number, rate: number, amp = 0.5): Int16Array {
  const n = samples(ms, rate);
  const out = new Int16Array(n);
  const w = (2 * Math.PI * freqHz) / rate;
  for (let i = 0; i < n; i++) out[i] = q(amp * 32767 * Math.sin(w * i));
  return out;
}

/** Digital silence (all zeros). */
export function silence(ms: number, rate: number): Int16Array {
  return new Int16Array(samples(ms, rate));
}

/** Concatenate signals. */
export function concat(...parts: Int16Array[]): Int16Array {
  return concatArrays(Int16Array, parts);
}

/** ITU-T Q.23 DTMF frequency pairs (row, column). */
export const DTMF_FREQUENCIES: Record<string, [number, number]> = {
  "1": [697, 1209], "2": [697, 1336], "3": [697, 1477], A: [697, 1633],
  "4": [770, 1209], "5": [770, 1336], "6": [770, 1477], B: [770, 1633],
  "7": [852, 1209], "8": [852, 1336], "9": [852, 1477], C: [852, 1633],
  "*": [941, 1209], "0": [941, 1336], "#": [941, 1477], D: [941, 1633],
};

/** A DTMF digit (0-9, *, #, A-D): both tones at `amp`/2 each (default 0.35 each, −9 dBFS). */
export function dtmfTone(digit: string, ms: number, rate: number, amp = 0.7): Int16Array {
  const pair = DTMF_FREQUENCIES[digit.toUpperCase()];
  if (!pair) throw new RangeError(`not a DTMF digit: ${JSON.stringify(digit)} (0-9, *, #, A-D)`);
  const n = samples(ms, rate);
  const out = new Int16Array(n);
  const w1 = (2 * Math.PI * pair[0]) / rate;
  const w2 = (2 * Math.PI * pair[1]) / rate;
  for (let i = 0; i < n; i++) out[i] = q(((amp * 32767) / 2) * (Math.sin(w1 * i) + Math.sin(w2 * i)));
  return out;
}

/** North American ringback: 440 + 480 Hz, 2 s on / 4 s off, repeating. */
export function ringback(ms: number, rate: number, amp = 0.3): Int16Array {
  const n = samples(ms, rate);
  const out = new Int16Array(n);
  const w1 = (2 * Math.PI * 440) / rate;
  const w2 = (2 * Math.PI * 480) / rate;
  const cycle = 6 * rate;
  const on = 2 * rate;
  for (let i = 0; i < n; i++) {
    if (i % cycle < on) out[i] = q(((amp * 32767) / 2) * (Math.sin(w1 * i) + Math.sin(w2 * i)));
  }
  return out;
}

/** mulberry32: a small, fast, seedable PRNG (uniform in [0, 1)). */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A voiced, syllable-modulated signal: a glottal pulse train (f0 100–220 Hz, declining over each
 * phrase) through three formant resonators that move per syllable, with a 3–6 Hz syllable envelope and
 * short dips between words (never digital silence inside). Energy VADs see speech; it is not
 * intelligible. Starts and ends with a 10 ms fade; otherwise no silence at the edges.
 */
export function speechLike(ms: number, rate: number, seed: number, amp = 0.5): Int16Array {
  const n = samples(ms, rate);
  const out = new Int16Array(n);
  if (n === 0) return out;
  const rnd = prng(seed);
  const f0Base = 100 + rnd() * 120;
  // Syllables: duration 150–320 ms, vowel formants from a small table, a word gap every 2-3 syllables.
  const vowels: [number, number, number][] = [
    [730, 1090, 2440], [270, 2290, 3010], [530, 1840, 2480], [660, 1720, 2410],
    [570, 840, 2410], [300, 870, 2240], [440, 1020, 2240], [490, 1350, 1690],
  ];
  type Syl = { start: number; end: number; f: [number, number, number]; gain: number };
  const syls: Syl[] = [];
  for (let at = 0, k = 0; at < n; k++) {
    const len = Math.round(((150 + rnd() * 170) * rate) / 1000);
    syls.push({ start: at, end: Math.min(n, at + len), f: vowels[Math.floor(rnd() * vowels.length)], gain: 0.6 + rnd() * 0.4 });
    at += len;
    if (k % 3 === 2) at += Math.round(((40 + rnd() * 60) * rate) / 1000); // word gap (low level, not zero)
  }
  // Resonator state per formant.
  const y1 = [0, 0, 0];
  const y2 = [0, 0, 0];
  const bw = [80, 100, 140];
  let phase = 0;
  let si = 0;
  const fade = Math.max(1, Math.round(rate / 100));
  const nyq = rate / 2;
  let peak = 1e-9;
  const tmp = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    while (si < syls.length - 1 && i >= syls[si].end && i >= syls[si + 1].start) si++;
    const s = syls[si];
    const inSyl = i >= s.start && i < s.end;
    const pos = inSyl ? (i - s.start) / (s.end - s.start) : 0;
    // Raised-cosine syllable envelope with a floor, so word gaps dip but never reach zero.
    const env = inSyl ? 0.08 + 0.92 * Math.sin(Math.PI * pos) * s.gain : 0.05;
    const f0 = f0Base * (1.1 - 0.25 * (i / n)) * (1 + 0.03 * Math.sin((2 * Math.PI * 5 * i) / rate));
    phase += f0 / rate;
    let src = 0;
    if (phase >= 1) {
      phase -= 1;
      src = 1; // glottal pulse
    }
    src += (rnd() - 0.5) * 0.02; // aspiration noise
    let v = 0;
    for (let k = 0; k < 3; k++) {
      const fk = Math.min(s.f[k], nyq * 0.9);
      const r = Math.exp((-Math.PI * bw[k]) / rate);
      const a1 = 2 * r * Math.cos((2 * Math.PI * fk) / rate);
      const a2 = -r * r;
      const y = (1 - r) * src + a1 * y1[k] + a2 * y2[k];
      y2[k] = y1[k];
      y1[k] = y;
      v += y / (k + 1);
    }
    tmp[i] = v * env;
    if (Math.abs(tmp[i]) > peak) peak = Math.abs(tmp[i]);
  }
  const g = (amp * 32767) / peak;
  for (let i = 0; i < n; i++) {
    const edge = Math.min(1, i / fade, (n - 1 - i) / fade);
    out[i] = q(tmp[i] * g * Math.max(0, edge));
  }
  return out;
}

/** SSML `<break strength>` durations in ms (Amazon Polly-like, which Bandwidth's TTS resembles). */
const BREAK_STRENGTH_MS: Record<string, number> = {
  none: 0, "x-weak": 100, weak: 250, medium: 400, strong: 750, "x-strong": 1200,
};

/**
 * How long the carrier's stand-in for SpeakSentence speaks `text`: SSML markup stripped (`<sub alias>`
 * read as its alias, `<break>` adding its time, max 10 s each per §2.17), ~150 words per minute
 * (400 ms per word), at least 300 ms.
 */
export function ttsDurationMs(text: string): number {
  let breaksMs = 0;
  const withoutBreaks = text.replace(/<break\b([^>]*)\/?>(?:\s*<\/break>)?/gi, (_m, attrs: string) => {
    const time = /\btime\s*=\s*["']\s*([\d.]+)\s*(ms|s)\s*["']/i.exec(attrs);
    const strength = /\bstrength\s*=\s*["']([\w-]+)["']/i.exec(attrs);
    let ms = BREAK_STRENGTH_MS.medium;
    if (time) ms = Number(time[1]) * (time[2].toLowerCase() === "s" ? 1000 : 1);
    else if (strength) ms = BREAK_STRENGTH_MS[strength[1].toLowerCase()] ?? ms;
    breaksMs += Math.min(10_000, Math.max(0, ms || 0));
    return " ";
  });
  const plain = withoutBreaks
    .replace(/<sub\b[^>]*\balias\s*=\s*["']([^"']*)["'][^>]*>[\s\S]*?<\/sub>/gi, " $1 ")
    .replace(/<[^>]*>/g, " ")
    .replace(/&[a-z#0-9]+;/gi, " ");
  const words = plain.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
  return Math.max(300, Math.round(words * 400 + breaksMs));
}
