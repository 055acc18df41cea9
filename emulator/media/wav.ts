// WAV in and out. Reading: RIFF/WAVE with PCM 8/16/24/32-bit and float 32/64 (decoded by
// `wav-decoder`), G.711 μ-law (format 7) and A-law (6) decoded here (PlayAudio WAVs, bandwidth.md
// §2.10), and WAVE_FORMAT_EXTENSIBLE wrapping any of those. The container is parsed and validated here
// first, so every malformed file gets a WavError naming the file and the problem instead of a
// RangeError from deep inside a decoder. Stereo/multichannel is mixed down to mono (§2.10).

import { readFile, stat } from "node:fs/promises";
import wavDecoder from "wav-decoder";
import { decodeAlaw, encodeAlaw } from "./alaw.js";
import { decodeMulaw, encodeMulaw } from "./mulaw.js";
import { writePcm16LE } from "./pcm16.js";
import { LocatedError } from "./located-error.js";

export { writePcm16LE };

/** bandwidth.md §2.10 size advice ("under 1 hour or 250 MB"); larger inputs are refused, not buffered. */
export const MAX_WAV_BYTES = 250_000_000;

export interface DecodedAudio {
  sampleRate: number;
  /** Channels in the file (the pcm is already mixed down). */
  channels: number;
  /** Mono mixdown, 16-bit. */
  pcm: Int16Array;
  /** Sample format in the file: pcm8, pcm16, pcm24, pcm32, float32, float64, mulaw, alaw. */
  format: string;
  durationMs: number;
  /** The file's own μ-law bytes when it is mono μ-law (so a PCMU stream can send them unchanged). */
  mulaw?: Uint8Array;
}

/** A WAV that cannot be used; `message` is "<file>: <what is wrong>". */
export class WavError extends LocatedError {
  override readonly name = "WavError";
  get file(): string {
    return this.where;
  }
}

export interface ReadWavOptions {
  /** Accept a data chunk that declares more bytes than the file holds (decode what is there). Default false. */
  lenient?: boolean;
}

const FORMAT_PCM = 0x0001;
const FORMAT_FLOAT = 0x0003;
const FORMAT_ALAW = 0x0006;
const FORMAT_MULAW = 0x0007;
const FORMAT_EXTENSIBLE = 0xfffe;
/** KSDATAFORMAT_SUBTYPE_* GUIDs are <format code>-0000-0010-8000-00AA00389B71; bytes 2..15 here. */
const KS_GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

const FORMAT_NAMES: Record<number, string> = {
  0x0002: "Microsoft ADPCM",
  0x0011: "IMA ADPCM",
  0x0031: "GSM 6.10",
  0x0050: "MPEG",
  0x0055: "MPEG layer 3",
  0x0064: "G.726 ADPCM",
  0x0065: "G.722 ADPCM",
};

function fourcc(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);
}

function describeMagic(b: Uint8Array): string {
  if (b.length >= 3 && b[0] === 0x49 && b[1] === 0x44 && b[2] === 0x33) return "an MP3 file (ID3 tag)";
  if (b.length >= 2 && b[0] === 0xff && (b[1] & 0xe0) === 0xe0) return "an MPEG audio stream (MP3)";
  if (b.length >= 4 && fourcc(b, 0) === "OggS") return "an Ogg file";
  if (b.length >= 4 && fourcc(b, 0) === "fLaC") return "a FLAC file";
  if (b.length >= 4 && fourcc(b, 0) === "FORM") return "an AIFF file";
  const head = Array.from(b.subarray(0, 4), (x) => x.toString(16).padStart(2, "0")).join(" ");
  const text = /^[\x20-\x7e]{4}$/.test(fourcc(b, 0)) ? ` ("${fourcc(b, 0)}")` : "";
  return `bytes ${head}${text}`;
}

interface Layout {
  code: number;
  extensible: boolean;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bits: number;
  dataOffset: number;
  dataBytes: number;
}

function parseLayout(b: Uint8Array, file: string, opts: ReadWavOptions): Layout {
  const fail = (reason: string): never => {
    throw new WavError(file, reason);
  };
  if (b.length > MAX_WAV_BYTES) fail(`${b.length} bytes is larger than the ${MAX_WAV_BYTES / 1e6} MB limit for PlayAudio files`);
  if (b.length < 12) fail(`too short to be a WAV file (${b.length} bytes)`);
  const riff = fourcc(b, 0);
  if (riff === "RIFX") fail("big-endian RIFX WAV is not supported");
  if (riff === "RF64") fail("RF64 (64-bit) WAV is not supported");
  if (riff !== "RIFF") fail(`not a RIFF/WAVE file: starts with ${describeMagic(b)}`);
  if (fourcc(b, 8) !== "WAVE") fail(`RIFF file of type "${fourcc(b, 8)}", not WAVE`);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);

  let fmt: Omit<Layout, "dataOffset" | "dataBytes"> | null = null;
  let data: { offset: number; bytes: number } | null = null;
  let at = 12;
  while (at < b.length && !(fmt && data)) {
    if (at + 8 > b.length) {
      if (data) break; // trailing junk after the data chunk
      fail(`truncated: chunk header at byte ${at} is cut short (file is ${b.length} bytes)`);
    }
    const id = fourcc(b, at);
    const size = dv.getUint32(at + 4, true);
    const body = at + 8;
    const available = b.length - body;
    if (!/^[\x20-\x7e]{4}$/.test(id)) {
      if (data) break;
      fail(`corrupt chunk header at byte ${at} (id bytes are not ASCII)`);
    }
    if (id === "fmt ") {
      if (size < 16) fail(`fmt chunk is ${size} bytes, needs at least 16`);
      if (size > available) fail(`truncated: fmt chunk declares ${size} bytes, ${available} present`);
      let code = dv.getUint16(body, true);
      const channels = dv.getUint16(body + 2, true);
      const sampleRate = dv.getUint32(body + 4, true);
      const blockAlign = dv.getUint16(body + 12, true);
      const bits = dv.getUint16(body + 14, true);
      const extensible = code === FORMAT_EXTENSIBLE;
      if (extensible) {
        if (size < 40) fail(`WAVE_FORMAT_EXTENSIBLE fmt chunk is ${size} bytes, needs 40`);
        const guid = b.subarray(body + 24, body + 40);
        const tailOk = KS_GUID_TAIL.every((x, i) => guid[i + 2] === x);
        const sub = dv.getUint16(body + 24, true);
        if (!tailOk) {
          const hex = Array.from(guid, (x) => x.toString(16).padStart(2, "0")).join("");
          fail(`unsupported WAVE_FORMAT_EXTENSIBLE sub-format GUID ${hex}`);
        }
        code = sub;
      }
      fmt = { code, extensible, channels, sampleRate, blockAlign, bits };
    } else if (id === "data") {
      let bytes = size;
      if (size > available) {
        // 0xFFFFFFFF is what streaming writers leave when they never seek back: "to end of file".
        if (size === 0xffffffff || opts.lenient) bytes = available;
        else fail(`truncated: data chunk declares ${size} bytes, only ${available} present`);
      }
      data = { offset: body, bytes };
    }
    at = body + size + (size & 1); // chunks are word-aligned
  }
  if (!fmt) fail("fmt chunk missing (no audio format description)");
  if (!data) fail("data chunk missing (no audio samples)");
  const f = fmt!;
  const tag = f.extensible ? "WAVE_FORMAT_EXTENSIBLE sub-format" : "format code";
  if (f.channels === 0) fail("zero channels in fmt chunk");
  if (f.channels > 64) fail(`implausible channel count ${f.channels} in fmt chunk`);
  if (f.sampleRate < 1000 || f.sampleRate > 768_000) fail(`unsupported sample rate ${f.sampleRate} Hz`);
  switch (f.code) {
    case FORMAT_PCM:
      if (![8, 16, 24, 32].includes(f.bits)) fail(`unsupported PCM bit depth ${f.bits} (8, 16, 24 or 32)`);
      break;
    case FORMAT_FLOAT:
      if (![32, 64].includes(f.bits)) fail(`unsupported float bit depth ${f.bits} (32 or 64)`);
      break;
    case FORMAT_MULAW:
    case FORMAT_ALAW:
      if (f.bits !== 8) fail(`${f.code === FORMAT_MULAW ? "μ-law" : "A-law"} with ${f.bits} bits per sample (must be 8)`);
      break;
    default: {
      const known = FORMAT_NAMES[f.code] ? ` (${FORMAT_NAMES[f.code]})` : "";
      fail(`unsupported ${tag} ${f.code} (0x${f.code.toString(16).padStart(4, "0")})${known}: supported are PCM (1), IEEE float (3), A-law (6), μ-law (7)`);
    }
  }
  const expectAlign = f.channels * (f.bits / 8);
  if (f.blockAlign !== expectAlign) {
    fail(`fmt blockAlign ${f.blockAlign} does not match ${f.channels} channel(s) × ${f.bits} bits (${expectAlign})`);
  }
  return { ...f, dataOffset: data!.offset, dataBytes: data!.bytes };
}

/** Round and saturate to the PCM16 range. */
export function clamp16(v: number): number {
  const r = Math.round(v);
  return r > 32767 ? 32767 : r < -32768 ? -32768 : r;
}

/** G.711 data: decode each channel's bytes, then mix down. */
function decodeCompanded(b: Uint8Array, l: Layout, frames: number): Int16Array {
  const raw = b.subarray(l.dataOffset, l.dataOffset + frames * l.channels);
  const lin = l.code === FORMAT_MULAW ? decodeMulaw(raw) : decodeAlaw(raw);
  if (l.channels === 1) return lin;
  const out = new Int16Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < l.channels; c++) sum += lin[i * l.channels + c];
    out[i] = clamp16(sum / l.channels);
  }
  return out;
}

/** PCM/float: hand wav-decoder a canonical 44-byte-header copy (it does no bounds checks of its own). */
async function decodeLinear(b: Uint8Array, l: Layout, frames: number): Promise<Int16Array> {
  const bytes = frames * l.blockAlign;
  const canon = new Uint8Array(44 + bytes);
  const dv = new DataView(canon.buffer);
  canon.set([0x52, 0x49, 0x46, 0x46], 0); // RIFF
  dv.setUint32(4, 36 + bytes, true);
  canon.set([0x57, 0x41, 0x56, 0x45, 0x66, 0x6d, 0x74, 0x20], 8); // WAVEfmt_
  dv.setUint32(16, 16, true);
  dv.setUint16(20, l.code, true);
  dv.setUint16(22, l.channels, true);
  dv.setUint32(24, l.sampleRate, true);
  dv.setUint32(28, l.sampleRate * l.blockAlign, true);
  dv.setUint16(32, l.blockAlign, true);
  dv.setUint16(34, l.bits, true);
  canon.set([0x64, 0x61, 0x74, 0x61], 36); // data
  dv.setUint32(40, bytes, true);
  canon.set(b.subarray(l.dataOffset, l.dataOffset + bytes), 44);
  // Symmetric scaling (÷2^(n-1)) makes 16/24/32-bit exact; 8-bit uses the default (÷128 / ÷127) so
  // 0x80 stays exactly 0 and is undone below.
  const pcm8 = l.code === FORMAT_PCM && l.bits === 8;
  const decoded = await wavDecoder.decode(canon.buffer, { symmetric: !pcm8 });
  const ch = decoded.channelData;
  const toInt = (v: number): number => {
    if (pcm8) return Math.round(v < 0 ? v * 128 : v * 127) * 256;
    // wav-decoder reads the 24-bit minimum 0x800000 as +1.0 (it tests `> 0x800000`); +1.0 is otherwise
    // unreachable for symmetric 24-bit, so it can only be that sample.
    if (l.code === FORMAT_PCM && l.bits === 24 && v === 1) return -32768;
    return v * 32768;
  };
  const out = new Int16Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < ch.length; c++) sum += toInt(ch[c][i]);
    out[i] = clamp16(sum / ch.length);
  }
  return out;
}

function formatName(l: Layout): string {
  if (l.code === FORMAT_MULAW) return "mulaw";
  if (l.code === FORMAT_ALAW) return "alaw";
  return `${l.code === FORMAT_FLOAT ? "float" : "pcm"}${l.bits}`;
}

/** Decode a WAV file's bytes; `name` labels errors (a path or URL). */
export async function readWav(data: Uint8Array, name = "<wav>", opts: ReadWavOptions = {}): Promise<DecodedAudio> {
  const l = parseLayout(data, name, opts);
  const frames = Math.floor(l.dataBytes / l.blockAlign); // a trailing partial frame is dropped
  const pcm =
    l.code === FORMAT_MULAW || l.code === FORMAT_ALAW
      ? decodeCompanded(data, l, frames)
      : await decodeLinear(data, l, frames).catch((e: unknown) => {
          throw new WavError(name, `decoder failed: ${e instanceof Error ? e.message : String(e)}`);
        });
  const out: DecodedAudio = {
    sampleRate: l.sampleRate,
    channels: l.channels,
    pcm,
    format: formatName(l),
    durationMs: (frames / l.sampleRate) * 1000,
  };
  if (l.code === FORMAT_MULAW && l.channels === 1) out.mulaw = data.slice(l.dataOffset, l.dataOffset + frames);
  return out;
}

/** Read and decode a WAV file from disk; refuses files over MAX_WAV_BYTES before reading them. */
export async function readWavFile(path: string, opts: ReadWavOptions = {}): Promise<DecodedAudio> {
  let bytes: Uint8Array;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new WavError(path, "not a regular file");
    if (st.size > MAX_WAV_BYTES) {
      throw new WavError(path, `${st.size} bytes is larger than the ${MAX_WAV_BYTES / 1e6} MB limit for PlayAudio files`);
    }
    bytes = await readFile(path);
  } catch (e) {
    if (e instanceof WavError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new WavError(path, `cannot read file (${err.code ?? err.message})`);
  }
  return readWav(bytes, path, opts);
}

export interface WriteWavOptions {
  /** pcm16 (default), or 8-bit G.711 mulaw / alaw. */
  encoding?: "pcm16" | "mulaw" | "alaw";
  /** Interleaved channels in `pcm` (default 1). */
  channels?: number;
}

/** A WAV file (mono unless `channels` says): canonical 44-byte header for pcm16; fmt (cbSize 0) + fact chunks for G.711. */
export function writeWav(pcm: Int16Array, sampleRate: number, opts: WriteWavOptions = {}): Uint8Array {
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) throw new RangeError(`writeWav: bad sample rate ${sampleRate}`);
  const channels = opts.channels ?? 1;
  if (!Number.isInteger(channels) || channels < 1 || pcm.length % channels !== 0) throw new RangeError(`writeWav: ${pcm.length} samples are not ${channels} whole channel(s)`);
  const enc = opts.encoding ?? "pcm16";
  const companded = enc !== "pcm16";
  // PCM16 goes straight into the file's buffer (one copy); G.711 is encoded first.
  const body = enc === "mulaw" ? encodeMulaw(pcm) : enc === "alaw" ? encodeAlaw(pcm) : undefined;
  const bodyLength = body ? body.length : pcm.length * 2;
  const fmtSize = companded ? 18 : 16;
  const factSize = companded ? 12 : 0;
  const pad = bodyLength & 1;
  const total = 12 + 8 + fmtSize + factSize + 8 + bodyLength + pad;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  const ascii = (at: number, s: string) => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  ascii(0, "RIFF");
  dv.setUint32(4, total - 8, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  dv.setUint32(16, fmtSize, true);
  const bytesPerSample = companded ? 1 : 2;
  dv.setUint16(20, enc === "mulaw" ? FORMAT_MULAW : enc === "alaw" ? FORMAT_ALAW : FORMAT_PCM, true);
  dv.setUint16(22, channels, true);
  dv.setUint32(24, sampleRate, true);
  dv.setUint32(28, sampleRate * bytesPerSample * channels, true);
  dv.setUint16(32, bytesPerSample * channels, true);
  dv.setUint16(34, bytesPerSample * 8, true);
  let at = 36;
  if (companded) {
    dv.setUint16(at, 0, true); // cbSize
    at += 2;
    ascii(at, "fact");
    dv.setUint32(at + 4, 4, true);
    dv.setUint32(at + 8, pcm.length / channels, true);
    at += 12;
  }
  ascii(at, "data");
  dv.setUint32(at + 4, bodyLength, true);
  if (body) out.set(body, at + 8);
  else writePcm16LE(pcm, out, at + 8);
  return out;
}
