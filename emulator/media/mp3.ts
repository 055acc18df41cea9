// MP3 in and out (bandwidth.md §2.10 PlayAudio plays MP3; §2.11/§2.19 fileFormat="mp3" records it),
// through maintained libraries, loaded on first use so the CLI starts without them:
// `mpg123-decoder` (libmpg123 in WebAssembly) decodes, `@breezystack/lamejs` (LAME in JavaScript)
// encodes. Both run in slices that yield to the event loop, so a call's media pacing keeps going
// while a prompt is decoded or a recording encoded.

import type { MPEGDecodedAudio, MPEGDecoder } from "mpg123-decoder";
import { StreamingResampler } from "./resample.js";
import { sniffAudio } from "./sniff.js";
import { concat } from "./synth.js";
import { clamp16, type DecodedAudio } from "./wav.js";
import { LocatedError } from "./located-error.js";

/** An MP3 that cannot be used; `message` is "<file>: <what is wrong>". */
export class Mp3Error extends LocatedError {
  override readonly name = "Mp3Error";
  get file(): string {
    return this.where;
  }
}

/** Input bytes handed to the decoder per slice (a few hundred ms of audio at common bitrates). */
const DECODE_SLICE = 16 * 1024;
/** Samples per channel handed to the encoder per call (one MPEG-1 frame; two MPEG-2/2.5 frames). */
const ENCODE_SLICE = 1152;
/** Work done between two yields to the event loop. */
const SLICE_BUDGET_MS = 8;

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

/** Runs `step` until it returns false, yielding to the event loop every SLICE_BUDGET_MS. */
async function sliced(step: () => boolean): Promise<void> {
  let t = performance.now();
  while (step()) {
    if (performance.now() - t >= SLICE_BUDGET_MS) {
      await yieldToLoop();
      t = performance.now();
    }
  }
}

export interface DecodeMp3Options {
  /** Resample to this rate while decoding (keeps memory at the target rate for long files). */
  sampleRate?: number;
}

export interface DecodedMp3 extends DecodedAudio {
  /** Frames libmpg123 could not decode (skipped), with its messages; empty for a clean file. */
  errors: string[];
}

let shared: Promise<MPEGDecoder> | undefined;
let turn: Promise<unknown> = Promise.resolve();

/** One libmpg123 instance for the process (instantiating its WebAssembly costs a few hundred ms), one decode at a time. */
function withDecoder<T>(f: (d: MPEGDecoder) => Promise<T>): Promise<T> {
  const run = turn.then(async () => {
    shared ??= import("mpg123-decoder").then(async (m) => {
      const d = new m.MPEGDecoder();
      await d.ready;
      return d;
    });
    const d = await shared.catch((e: unknown) => {
      shared = undefined;
      throw e;
    });
    try {
      return await f(d);
    } finally {
      await d.reset();
    }
  });
  turn = run.catch(() => undefined);
  return run;
}

/** Decode MP3 bytes to mono PCM16 (stereo mixed down, §2.10); `name` labels errors (a path or URL). */
export async function decodeMp3(data: Uint8Array, name = "<mp3>", opts: DecodeMp3Options = {}): Promise<DecodedMp3> {
  const found = sniffAudio(data);
  if (found.kind !== "mp3") throw new Mp3Error(name, `not MP3: ${found.kind === "wav" ? "a WAV file" : found.found}`);
  return withDecoder((decoder) => decodeWith(decoder, data, name, found.channels, opts));
}

async function decodeWith(decoder: MPEGDecoder, data: Uint8Array, name: string, channels: 1 | 2, opts: DecodeMp3Options): Promise<DecodedMp3> {
  const parts: Int16Array[] = [];
  const errors: string[] = [];
  let rate: number | undefined;
  let inSamples = 0;
  let resampler: StreamingResampler | undefined;
  let offset = 0;
  const take = (d: MPEGDecodedAudio): void => {
    for (const e of d.errors) errors.push(e.message);
    if (d.samplesDecoded === 0) return;
    if (rate === undefined) {
      rate = d.sampleRate;
      if (opts.sampleRate !== undefined && opts.sampleRate !== rate) resampler = new StreamingResampler(rate, opts.sampleRate);
    } else if (d.sampleRate !== rate) {
      throw new Mp3Error(name, `the sample rate changes mid-file (${rate} Hz, then ${d.sampleRate} Hz)`);
    }
    const mono = new Int16Array(d.samplesDecoded);
    const ch = d.channelData;
    for (let i = 0; i < mono.length; i++) {
      let s = 0;
      for (let c = 0; c < ch.length; c++) s += ch[c][i];
      mono[i] = clamp16((s / ch.length) * 32768);
    }
    inSamples += mono.length;
    parts.push(resampler ? resampler.push(mono) : mono);
  };
  await sliced(() => {
    take(decoder.decode(data.subarray(offset, offset + DECODE_SLICE)));
    offset += DECODE_SLICE;
    return offset < data.length;
  });
  if (rate === undefined) throw new Mp3Error(name, `no audio could be decoded${errors.length ? ` (${errors[0]})` : ""}`);
  if (resampler) parts.push(resampler.flush());
  return {
    sampleRate: opts.sampleRate ?? rate,
    channels,
    pcm: concat(...parts),
    format: "mp3",
    durationMs: (inSamples / rate) * 1000,
    errors,
  };
}

export interface EncodeMp3Options {
  /** Bitrate per channel in kbps (default 32: narrowband speech at 8 kHz). */
  kbpsPerChannel?: number;
}

/** Encode one or two channels of PCM16 (equal lengths) to a constant-bitrate MP3. */
export async function encodeMp3(channels: Int16Array[], sampleRate: number, opts: EncodeMp3Options = {}): Promise<Uint8Array> {
  if (channels.length !== 1 && channels.length !== 2) throw new RangeError(`encodeMp3: 1 or 2 channels, got ${channels.length}`);
  const { Mp3Encoder } = await import("@breezystack/lamejs");
  const encoder = new Mp3Encoder(channels.length, sampleRate, (opts.kbpsPerChannel ?? 32) * channels.length);
  const [left, right] = channels;
  const out: Uint8Array[] = [];
  let i = 0;
  await sliced(() => {
    if (i >= left.length) return false;
    const l = left.subarray(i, i + ENCODE_SLICE);
    out.push(right ? encoder.encodeBuffer(l, right.subarray(i, i + ENCODE_SLICE)) : encoder.encodeBuffer(l));
    i += ENCODE_SLICE;
    return i < left.length;
  });
  out.push(encoder.flush());
  // lamejs hands out Int8Array views; the bytes are the same.
  return new Uint8Array(Buffer.concat(out.map((p) => new Uint8Array(p.buffer, p.byteOffset, p.byteLength))));
}
