// What an audio file is, by its content (bandwidth.md §2.10: the carrier plays WAV and MP3 only):
// RIFF/WAVE, or MPEG audio (an optional ID3v2 tag, then frame headers that chain: each header's frame
// length lands on the next header, so random bytes starting 0xFF 0xE? are not taken for MP3). Anything
// else is described in a few printable words for the finding that names it.

export type Sniffed =
  | { kind: "wav" }
  | { kind: "mp3"; version: MpegVersion; sampleRate: number; channels: 1 | 2; offset: number }
  | { kind: "other"; found: string };

export type MpegVersion = "MPEG-1" | "MPEG-2" | "MPEG-2.5";

export interface MpegHeader {
  version: MpegVersion;
  layer: 1 | 2 | 3;
  sampleRate: number;
  channels: 1 | 2;
  /** Frame length in bytes; undefined for free-format frames (bitrate index 0). */
  length?: number;
}

const RATES: Record<MpegVersion, number[]> = { "MPEG-1": [44100, 48000, 32000], "MPEG-2": [22050, 24000, 16000], "MPEG-2.5": [11025, 12000, 8000] };
// kbps by bitrate index 1..14 (ISO/IEC 11172-3, 13818-3).
const V1 = { 1: [32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448], 2: [32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384], 3: [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320] };
const V2 = { 1: [32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256], 2: [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160], 3: [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160] };

/** The MPEG audio frame header at `at`, or undefined when the 4 bytes there are not one. */
export function mpegHeader(b: Uint8Array, at: number): MpegHeader | undefined {
  if (at + 4 > b.length || b[at] !== 0xff || (b[at + 1] & 0xe0) !== 0xe0) return undefined;
  const v = (b[at + 1] >> 3) & 3;
  const l = (b[at + 1] >> 1) & 3;
  const br = b[at + 2] >> 4;
  const sr = (b[at + 2] >> 2) & 3;
  if (v === 1 || l === 0 || br === 15 || sr === 3) return undefined;
  const version: MpegVersion = v === 3 ? "MPEG-1" : v === 2 ? "MPEG-2" : "MPEG-2.5";
  const layer = (4 - l) as 1 | 2 | 3;
  const sampleRate = RATES[version][sr];
  const channels = (b[at + 3] >> 6) === 3 ? 1 : 2;
  if (br === 0) return { version, layer, sampleRate, channels };
  const kbps = (version === "MPEG-1" ? V1 : V2)[layer][br - 1];
  const pad = (b[at + 2] >> 1) & 1;
  const bps = kbps * 1000;
  const length =
    layer === 1 ? (Math.floor((12 * bps) / sampleRate) + pad) * 4 : Math.floor(((layer === 3 && version !== "MPEG-1" ? 72 : 144) * bps) / sampleRate) + pad;
  return { version, layer, sampleRate, channels, length };
}

/** Bytes taken by ID3v2 tags at `at` (0 when there is none). */
function id3v2Length(b: Uint8Array, at: number): number {
  if (at + 10 > b.length || b[at] !== 0x49 || b[at + 1] !== 0x44 || b[at + 2] !== 0x33) return 0; // "ID3"
  const size = ((b[at + 6] & 0x7f) << 21) | ((b[at + 7] & 0x7f) << 14) | ((b[at + 8] & 0x7f) << 7) | (b[at + 9] & 0x7f);
  const footer = b[at + 5] & 0x10 ? 10 : 0;
  return 10 + size + footer;
}

/** How far past the tags a first frame is searched for (encoders may pad with zeros or junk). */
const SYNC_WINDOW = 64 * 1024;

/** A first MPEG frame whose successor (or the end of the file, or an ID3v1 tag) confirms it. */
function firstMpegFrame(b: Uint8Array, from: number): { at: number; h: MpegHeader } | undefined {
  const end = Math.min(b.length - 3, from + SYNC_WINDOW);
  for (let at = from; at < end; at++) {
    const h = mpegHeader(b, at);
    if (!h) continue;
    if (h.length === undefined) return { at, h }; // free format: nothing to chain on
    const next = at + h.length;
    if (next === b.length || (next + 3 <= b.length && b[next] === 0x54 && b[next + 1] === 0x41 && b[next + 2] === 0x47)) return { at, h };
    const n = mpegHeader(b, next);
    if (n && n.version === h.version && n.layer === h.layer && n.sampleRate === h.sampleRate) return { at, h };
  }
  return undefined;
}

const ascii = (b: Uint8Array, at: number, s: string) => [...s].every((c, i) => b[at + i] === c.charCodeAt(0));

/** Identify an audio file by its bytes. */
export function sniffAudio(b: Uint8Array): Sniffed {
  if (ascii(b, 0, "RIFF") && ascii(b, 8, "WAVE")) return { kind: "wav" };
  let from = 0;
  for (let n = id3v2Length(b, 0); n > 0; n = id3v2Length(b, from)) from += n;
  const f = firstMpegFrame(b, from);
  if (f && f.h.layer === 3) return { kind: "mp3", version: f.h.version, sampleRate: f.h.sampleRate, channels: f.h.channels, offset: f.at };
  if (f) return { kind: "other", found: `${f.h.version} layer ${"I".repeat(f.h.layer)} audio (MP${f.h.layer}), not layer III` };
  if (from > 0) return { kind: "other", found: `an ID3 tag (${from} bytes) with no MPEG audio frame after it` };
  return { kind: "other", found: describeBytes(b) };
}

/** Known containers and text, in words; otherwise the first bytes in hex. Printable ASCII only. */
export function describeBytes(b: Uint8Array): string {
  if (b.length === 0) return "an empty body";
  const magic: [number, string, string][] = [
    [0, "OggS", "Ogg"],
    [0, "fLaC", "FLAC"],
    [4, "ftyp", "MP4/M4A"],
    [0, "#!AMR", "AMR"],
    [0, ".snd", "Sun/NeXT AU"],
    [0, "FORM", "AIFF"],
    [0, "\x1aE\xdf\xa3", "Matroska/WebM"],
    [0, "RIFF", "RIFF (not WAVE)"],
  ];
  for (const [at, sig, name] of magic) if (ascii(b, at, sig)) return `${name} data`;
  const head = b.subarray(0, 48);
  const text = [...head].every((c) => c === 9 || c === 10 || c === 13 || (c >= 0x20 && c < 0x7f) || c >= 0x80);
  if (text) {
    const s = Buffer.from(head).toString("utf8").replace(/\s+/g, " ").trim();
    const safe = [...s].map((c) => (c >= " " && c <= "~" ? c : "?")).join("");
    const kind = /^<(!doctype html|html)/i.test(s) ? "an HTML page" : s.startsWith("<") ? "XML/HTML text" : s.startsWith("{") || s.startsWith("[") ? "JSON text" : "text";
    return `${kind} starting "${safe}${b.length > head.length ? "…" : ""}"`;
  }
  return `unknown binary data starting ${[...b.subarray(0, 8)].map((x) => x.toString(16).padStart(2, "0")).join(" ")}`;
}
