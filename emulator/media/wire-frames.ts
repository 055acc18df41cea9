// The caller's frames as they go on the wire, computed once per frame of caller audio instead of at
// every tick of every call: the encoded bytes (μ-law or L16LE, bandwidth.md §4.4), their base64 (the
// `media` frame's payload) and the samples the app decodes from them (the inbound recording). A load
// shard shares its resolved caller audio between calls (emulator/call/media.ts), so each frame of a
// fixture is encoded once per thread, not once per call per tick. Everything here is shared and
// read-only: callers copy what they keep.

import type { MediaFormat } from "../protocol/media-stream.js";
import { encodeFrame, samplesPerFrame } from "./format.js";
import { decodeMulaw } from "./mulaw.js";

export interface WireFrame {
  /** `encoding/sampleRate` of the stream it was encoded for. */
  readonly format: string;
  /** The frame's samples at the stream rate as the app decodes them (μ-law-quantised on PCMU). */
  readonly pcm: Int16Array;
  /** The frame's samples as given, a short last frame padded with silence (the caller's frame before encoding). */
  readonly source: Int16Array;
  /** The encoded frame: 160 bytes μ-law or 640 bytes L16LE. */
  readonly bytes: Uint8Array;
  /** base64 of `bytes`: the `media` frame's payload. */
  readonly payload: string;
}

/** The `format` of a WireFrame. */
export const formatKey = (f: MediaFormat): string => `${f.encoding}/${f.sampleRate}`;

/** One full frame at the stream rate, encoded (not cached). */
export function encodeWireFrame(pcm: Int16Array, format: MediaFormat): WireFrame {
  const bytes = encodeFrame(pcm, format);
  const source = pcm.length === samplesPerFrame(format) ? pcm : padded(pcm, samplesPerFrame(format));
  const sent = format.encoding === "PCMU" ? decodeMulaw(bytes) : source;
  return { format: formatKey(format), pcm: sent, source, bytes, payload: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64") };
}

function padded(pcm: Int16Array, n: number): Int16Array {
  const out = new Int16Array(n);
  out.set(pcm);
  return out;
}

/** Silent frames by format, keyed by a number (asked for every tick a caller is silent: no key string built). */
const silences = new Map<number, WireFrame>();

/** A silent frame (μ-law 0xFF / L16 zeros), one per format. */
export function silentWireFrame(format: MediaFormat): WireFrame {
  const key = format.encoding === "PCMU" ? format.sampleRate : -format.sampleRate;
  let s = silences.get(key);
  if (!s) silences.set(key, (s = encodeWireFrame(new Int16Array(samplesPerFrame(format)), format)));
  return s;
}

/**
 * Frames of one piece of audio (an utterance at the stream rate), encoded the first time each is
 * asked for and kept with the audio: `frame(i)` is samples [i·spf, (i+1)·spf), a short last frame
 * padded with silence.
 */
export class WireFrames {
  private readonly frames: (WireFrame | undefined)[];
  private readonly spf: number;

  constructor(
    private readonly pcm: Int16Array,
    private readonly format: MediaFormat,
  ) {
    this.spf = samplesPerFrame(format);
    this.frames = new Array<WireFrame | undefined>(Math.max(1, Math.ceil(pcm.length / this.spf)));
  }

  get length(): number {
    return this.frames.length;
  }

  frame(i: number): WireFrame {
    let f = this.frames[i];
    if (!f) {
      const a = i * this.spf;
      this.frames[i] = f = encodeWireFrame(this.pcm.subarray(a, Math.min(this.pcm.length, a + this.spf)), this.format);
    }
    return f;
  }
}

const byAudio = new WeakMap<Int16Array, Map<string, WireFrames>>();

/** The wire frames of `pcm` in `format`, kept as long as `pcm` lives (shared audio shares them). */
export function wireFramesOf(pcm: Int16Array, format: MediaFormat): WireFrames {
  let m = byAudio.get(pcm);
  if (!m) byAudio.set(pcm, (m = new Map()));
  let w = m.get(formatKey(format));
  if (!w) m.set(formatKey(format), (w = new WireFrames(pcm, format)));
  return w;
}
