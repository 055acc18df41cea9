// Between decoded audio and the media stream's wire format (bandwidth.md §4.4 / §4.9): rate
// conversion to the stream rate and 20 ms frame encoding — PCMU: 160 samples → 160 bytes of μ-law;
// L16: 320 samples → 640 bytes little-endian.

import type { MediaFormat } from "../protocol/media-stream.js";
import { decodeMulaw, encodeMulaw } from "./mulaw.js";
import { pcm16FromBytesLE, pcm16ToBytesLE } from "./pcm16.js";
import { resample } from "./resample.js";
import type { DecodedAudio } from "./wav.js";

/** PCMU 8 kHz (the live default) and L16 16 kHz (ED-10). */
export const PCMU_8K: MediaFormat = { encoding: "PCMU", sampleRate: 8000 };
export const L16_16K: MediaFormat = { encoding: "L16", sampleRate: 16000 };

/** Samples in one 20 ms frame: 160 (PCMU 8 kHz) or 320 (L16 16 kHz). */
export function samplesPerFrame(format: MediaFormat): number {
  return (format.sampleRate / 1000) * 20;
}

/** Bytes in one encoded 20 ms frame: 160 or 640. */
export function bytesPerFrame(format: MediaFormat): number {
  return format.encoding === "PCMU" ? samplesPerFrame(format) : samplesPerFrame(format) * 2;
}

/** Decoded audio (mono) at the stream rate. */
export function toStreamRate(audio: Pick<DecodedAudio, "pcm" | "sampleRate">, rate: 8000 | 16000): Int16Array {
  return audio.sampleRate === rate ? audio.pcm : resample(audio.pcm, audio.sampleRate, rate);
}

/**
 * Encode one 20 ms frame. A short final chunk is padded with silence (a frame on the wire is always
 * full size); more than one frame of samples is a caller bug and throws RangeError.
 */
export function encodeFrame(pcm: Int16Array, format: MediaFormat): Uint8Array {
  const n = samplesPerFrame(format);
  if (pcm.length > n) throw new RangeError(`encodeFrame: ${pcm.length} samples is more than one ${format.encoding} frame (${n})`);
  let frame = pcm;
  if (pcm.length < n) {
    frame = new Int16Array(n);
    frame.set(pcm);
  }
  return format.encoding === "PCMU" ? encodeMulaw(frame) : pcm16ToBytesLE(frame);
}

/** Decode an encoded frame (or any run of them) back to PCM at the stream rate. */
export function decodeFrame(bytes: Uint8Array, format: MediaFormat): Int16Array {
  return format.encoding === "PCMU" ? decodeMulaw(bytes) : pcm16FromBytesLE(bytes);
}
