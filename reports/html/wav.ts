// Just enough RIFF/WAVE for the report: decode any common WAV (PCM 8/16/24/32, float 32/64,
// G.711 μ-law/A-law, WAVE_FORMAT_EXTENSIBLE) to mono float samples, re-encode as 16-bit PCM (which
// every browser plays from a data: URI), and reduce to min/max peaks for a waveform.
// Bad input returns a located error instead of throwing: a broken clip must not break the report.

import { writeWav } from "../../emulator/media/wav.js";

export interface DecodedWav {
  sampleRate: number;
  /** Mono samples in [-1, 1] (channels averaged). */
  samples: Float32Array;
}

export type WavResult = { ok: true; wav: DecodedWav } | { ok: false; error: string };

function ulaw(b: number): number {
  const u = ~b & 0xff;
  const t = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
  return (u & 0x80 ? 0x84 - t : t - 0x84) / 32768;
}

function alaw(b: number): number {
  const a = b ^ 0x55;
  let t = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) t += 8;
  else if (seg === 1) t += 0x108;
  else t = (t + 0x108) << (seg - 1);
  return (a & 0x80 ? t : -t) / 32768;
}

/** Decode a WAV file; never throws. `maxSeconds` bounds the work and memory on huge inputs. */
export function decodeWav(buf: Uint8Array, maxSeconds = 600): WavResult {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const tag = (o: number) => String.fromCharCode(buf[o], buf[o + 1], buf[o + 2], buf[o + 3]);
  if (buf.length < 12 || tag(0) !== "RIFF" || tag(8) !== "WAVE") return { ok: false, error: "not a RIFF/WAVE file" };
  let fmt: { format: number; channels: number; rate: number; bits: number } | undefined;
  let data: Uint8Array | undefined;
  let o = 12;
  while (o + 8 <= buf.length) {
    const id = tag(o);
    const size = dv.getUint32(o + 4, true);
    const body = o + 8;
    const end = Math.min(buf.length, body + size);
    if (id === "fmt ") {
      if (end - body < 16) return { ok: false, error: `fmt chunk too short at byte ${o}` };
      let format = dv.getUint16(body, true);
      if (format === 0xfffe && end - body >= 26) format = dv.getUint16(body + 24, true);
      fmt = { format, channels: dv.getUint16(body + 2, true), rate: dv.getUint32(body + 4, true), bits: dv.getUint16(body + 14, true) };
    } else if (id === "data") {
      data = buf.subarray(body, end);
    }
    o = body + size + (size & 1);
  }
  if (!fmt) return { ok: false, error: "no fmt chunk" };
  if (!data) return { ok: false, error: "no data chunk" };
  const { format, channels, rate, bits } = fmt;
  if (channels < 1 || rate < 1) return { ok: false, error: `bad fmt: ${channels} channels at ${rate} Hz` };
  const bytesPer = bits / 8;
  let read: ((p: number) => number) | undefined;
  const ddv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (format === 1 && bits === 8) read = (p) => (data![p] - 128) / 128;
  else if (format === 1 && bits === 16) read = (p) => ddv.getInt16(p, true) / 32768;
  else if (format === 1 && bits === 24) read = (p) => ((data![p] | (data![p + 1] << 8) | (data![p + 2] << 16)) << 8 >> 8) / 8388608;
  else if (format === 1 && bits === 32) read = (p) => ddv.getInt32(p, true) / 2147483648;
  else if (format === 3 && bits === 32) read = (p) => ddv.getFloat32(p, true);
  else if (format === 3 && bits === 64) read = (p) => ddv.getFloat64(p, true);
  else if (format === 7 && bits === 8) read = (p) => ulaw(data![p]);
  else if (format === 6 && bits === 8) read = (p) => alaw(data![p]);
  if (!read) return { ok: false, error: `unsupported WAV encoding (format ${format}, ${bits} bits)` };
  const frameBytes = bytesPer * channels;
  const frames = Math.min(Math.floor(data.length / frameBytes), Math.floor(maxSeconds * rate));
  const samples = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let s = 0;
    for (let c = 0; c < channels; c++) s += read(i * frameBytes + c * bytesPer);
    const v = s / channels;
    samples[i] = Number.isFinite(v) ? Math.max(-1, Math.min(1, v)) : 0;
  }
  return { ok: true, wav: { sampleRate: rate, samples } };
}

/** 16-bit PCM mono WAV of the samples (in [-1, 1]). */
export function encodeWavPcm16(samples: ArrayLike<number>, sampleRate: number): Uint8Array {
  const pcm = new Int16Array(samples.length);
  for (let i = 0; i < pcm.length; i++) {
    const v = Math.max(-1, Math.min(1, samples[i]));
    pcm[i] = Math.round(v < 0 ? v * 32768 : v * 32767);
  }
  return writeWav(pcm, sampleRate);
}

/** Min/max per bucket over `buckets` equal slices (for an SVG waveform). */
export function peaks(samples: Float32Array, buckets: number): { min: number; max: number }[] {
  const out: { min: number; max: number }[] = [];
  const per = samples.length / buckets;
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * per);
    const to = Math.max(from + 1, Math.floor((b + 1) * per));
    let mn = 0;
    let mx = 0;
    for (let i = from; i < to && i < samples.length; i++) {
      const s = samples[i];
      if (s < mn) mn = s;
      if (s > mx) mx = s;
    }
    out.push({ min: mn, max: mx });
  }
  return out;
}
