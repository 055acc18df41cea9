// Audio at the stub's edges: decoding appends in the session's input format (spec §5.1, §6.4),
// encoding replies in its output format (§5.2: headerless µ-law for `audio/pcmu`), the input timeline
// store, and a deterministic speech-like signal for the built-in script. Codecs come from emulator/media.

import { decodeMulaw, encodeMulaw } from "../media/mulaw.js";
import { decodeAlaw, encodeAlaw } from "../media/alaw.js";
import { pcm16FromBytesLE, pcm16ToBytesLE } from "../media/pcm16.js";
import { resample } from "../media/resample.js";
import { concatArrays } from "../media/concat.js";
import { BYTES_PER_MS, SAMPLE_RATE, type AudioFormatName } from "../protocol/realtime.js";

/** Decode wire bytes of `format` to linear PCM (a trailing odd PCM16 byte is ignored; the store keeps it). */
export function decodeAudio(bytes: Uint8Array, format: AudioFormatName): Int16Array {
  switch (format) {
    case "pcmu": return decodeMulaw(bytes);
    case "pcma": return decodeAlaw(bytes);
    case "pcm16": return pcm16FromBytesLE(bytes.length % 2 ? bytes.subarray(0, bytes.length - 1) : bytes);
  }
}

/** Encode linear PCM at `rate` into wire bytes of `format` (resampling to 8 or 24 kHz). */
export function encodeAudio(pcm: Int16Array, rate: number, format: AudioFormatName): Uint8Array {
  const target = SAMPLE_RATE[format];
  const x = rate === target ? pcm : resample(pcm, rate, target);
  switch (format) {
    case "pcmu": return encodeMulaw(x);
    case "pcma": return encodeAlaw(x);
    case "pcm16": return pcm16ToBytesLE(x);
  }
}

/** Convert wire bytes between formats (echo replies: caller audio re-encoded in the output format). */
export function transcode(bytes: Uint8Array, from: AudioFormatName, to: AudioFormatName): Uint8Array {
  if (from === to) return bytes;
  return encodeAudio(decodeAudio(bytes, from), SAMPLE_RATE[from], to);
}

export const msOf = (bytes: number, format: AudioFormatName): number => bytes / BYTES_PER_MS[format];

/**
 * Bytes for `ms` of audio, rounded down to whole samples (µ-law 1 byte, PCM16 2 bytes), so every delta
 * holds whole samples (§5.3).
 */
export function bytesFor(ms: number, format: AudioFormatName): number {
  const b = Math.floor(ms * BYTES_PER_MS[format]);
  return format === "pcm16" ? b - (b % 2) : b;
}

/**
 * A deterministic speech-like signal (harmonic voice with a syllable envelope, ~4 syllables/s, pitch
 * gliding 110–170 Hz) so the built-in script needs no fixture files and the carrier's analysis sees
 * "speech", not a pure tone.
 */
export function speechLikeSignal(ms: number, rate: number, seed = 1): Int16Array {
  const n = Math.round((ms * rate) / 1000);
  const out = new Int16Array(n);
  let phase = 0;
  const syll = 0.25; // s per syllable
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    const s = t / syll;
    const k = Math.floor(s);
    const within = s - k;
    // Syllable envelope with a short gap, varied per syllable, never digital silence inside the reply.
    const env = within < 0.8 ? Math.sin((Math.PI * within) / 0.8) ** 0.6 : 0.05;
    const amp = 0.25 + 0.15 * (((k * 7 + seed * 3) % 5) / 4);
    const f0 = 110 + 60 * (0.5 + 0.5 * Math.sin(2 * Math.PI * 0.7 * t + seed + k * 0.9));
    phase += (2 * Math.PI * f0) / rate;
    let v = 0;
    for (let h = 1; h <= 8; h++) v += Math.sin(h * phase) / h ** 1.2;
    out[i] = Math.max(-32767, Math.min(32767, Math.round(env * amp * 0.45 * v * 32767)));
  }
  // 20 ms fades so the reply starts and ends cleanly.
  const f = Math.min(n >> 1, Math.round(rate * 0.02));
  for (let i = 0; i < f; i++) {
    out[i] = Math.round((out[i] * i) / f);
    out[n - 1 - i] = Math.round((out[n - 1 - i] * i) / f);
  }
  return out;
}

interface Chunk { startMs: number; format: AudioFormatName; bytes: Uint8Array }

/**
 * The input timeline (§6.3): everything appended in the session, with its format, counted in ms across
 * commits. Keeps the bytes (for `appendedAudio()`, echo replies and item audio) up to a cap so a long
 * session never grows without bound; the timeline keeps counting past the cap.
 */
export class InputStore {
  private chunks: Chunk[] = [];
  /** Bytes kept (what `all()` returns). */
  storedBytes = 0;
  /** Total ms appended so far (the input timeline's end). */
  endMs = 0;
  /** Bytes not kept because the cap was reached. */
  droppedBytes = 0;
  totalBytes = 0;
  /** PCM16 odd trailing byte carried into the next append (half a sample). */
  private oddByte: number | undefined;

  constructor(private readonly maxBytes: number) {}

  /** Append raw bytes; returns the whole-sample bytes to analyse and where they start on the timeline. */
  append(raw: Uint8Array, format: AudioFormatName): { startMs: number; bytes: Uint8Array } {
    let bytes = raw;
    if (format === "pcm16") {
      if (this.oddByte !== undefined) {
        const b = new Uint8Array(raw.length + 1);
        b[0] = this.oddByte;
        b.set(raw, 1);
        bytes = b;
        this.oddByte = undefined;
      }
      if (bytes.length % 2) {
        this.oddByte = bytes[bytes.length - 1];
        bytes = bytes.subarray(0, bytes.length - 1);
      }
    } else this.oddByte = undefined;
    const startMs = this.endMs;
    this.endMs += msOf(bytes.length, format);
    this.totalBytes += raw.length;
    if (this.storedBytes + bytes.length <= this.maxBytes) {
      this.chunks.push({ startMs, format, bytes: bytes.slice() });
      this.storedBytes += bytes.length;
    } else this.droppedBytes += bytes.length;
    return { startMs, bytes };
  }

  /** Concatenated appended bytes as received (formats as appended). */
  all(): Uint8Array {
    const out = new Uint8Array(this.storedBytes);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c.bytes, o);
      o += c.bytes.length;
    }
    return out;
  }

  /** The audio in [fromMs, toMs) of the input timeline, converted to `format` (runs of one format transcoded at once). */
  slice(fromMs: number, toMs: number, format: AudioFormatName): Uint8Array {
    const runs: { format: AudioFormatName; parts: Uint8Array[] }[] = [];
    for (const c of this.chunks) {
      const cEnd = c.startMs + msOf(c.bytes.length, c.format);
      if (cEnd <= fromMs || c.startMs >= toMs) continue;
      const a = bytesFor(Math.max(0, fromMs - c.startMs), c.format);
      const b = bytesFor(Math.min(cEnd, toMs) - c.startMs, c.format);
      if (b <= a) continue;
      const last = runs[runs.length - 1];
      if (last && last.format === c.format) last.parts.push(c.bytes.subarray(a, b));
      else runs.push({ format: c.format, parts: [c.bytes.subarray(a, b)] });
    }
    return concat(runs.map((r) => transcode(concat(r.parts), r.format, format)));
  }
}

/** The runs as one byte array (a single run is returned as is, not copied). */
export function concat(parts: Uint8Array[]): Uint8Array {
  return parts.length === 1 ? parts[0] : concatArrays(Uint8Array, parts);
}
