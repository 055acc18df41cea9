// Encoders and validators for the media-stream WebSocket (bandwidth.md §4). The shapes are in
// `media-stream.ts`; this file turns them into the exact text live Bandwidth sends, and turns what
// an app sends back into either a validated message or a located problem (OPEN-9, OPEN-10).

import { decodeMulaw } from "../media/mulaw.js";
import { pcm16FromBytesLE } from "../media/pcm16.js";
import { resample } from "../media/resample.js";
import type {
  AppToCarrierMessage,
  MediaMessage,
  PlayAudioContentType,
  PlayAudioMessage,
  StartMessage,
  StopMessage,
  StreamMetadata,
  TrackName,
} from "./media-stream.js";
import { PLAY_AUDIO_CONTENT_TYPES } from "./media-stream.js";

// ---------------------------------------------------------------------------------------------
// carrier → app

export interface EncodeOptions {
  /** Live Bandwidth writes `eventType` as the LAST key of every frame (§4.1, migration-toolkit
   * capture); otherwise it comes first, as in the docs' examples. Other keys keep the docs' order. */
  eventTypeLast: boolean;
}

/** Metadata with keys in the docs' order and tracks as objects, `inbound` before `outbound` (§4.2). */
function orderedMetadata(m: StreamMetadata): StreamMetadata {
  const tracks = [...m.tracks]
    .sort((a, b) => (a.name === b.name ? 0 : a.name === "inbound" ? -1 : 1))
    .map((t) => ({ name: t.name, mediaFormat: { encoding: t.mediaFormat.encoding, sampleRate: t.mediaFormat.sampleRate } }));
  return { accountId: m.accountId, callId: m.callId, streamId: m.streamId, streamName: m.streamName, tracks };
}

function withEventType(eventType: string, body: Record<string, unknown>, o: EncodeOptions): string {
  return JSON.stringify(o.eventTypeLast ? { ...body, eventType } : { eventType, ...body });
}

/** The `start` frame (§4.2): `streamParams` only when present (an empty map counts as absent). */
export function encodeStart(msg: StartMessage, opts: EncodeOptions): string {
  const body: Record<string, unknown> = { metadata: orderedMetadata(msg.metadata) };
  if (msg.streamParams && Object.keys(msg.streamParams).length > 0) body.streamParams = { ...msg.streamParams };
  return withEventType("start", body, opts);
}

/**
 * The text of a track's `media` frames around their two varying values (§4.3): a frame is
 * `head + payload + mid + sequenceNumber + tail`. Built once per stream and track, so the per-frame
 * cost of sending is a string concat.
 */
export interface MediaFrameTemplate {
  readonly head: string;
  readonly mid: string;
  readonly tail: string;
}

export function mediaFrameTemplate(track: TrackName, opts: EncodeOptions): MediaFrameTemplate {
  const t = track === "outbound" ? '"outbound"' : '"inbound"';
  return opts.eventTypeLast
    ? { head: `{"track":${t},"payload":"`, mid: '","sequenceNumber":"', tail: '","eventType":"media"}' }
    : { head: `{"eventType":"media","track":${t},"payload":"`, mid: '","sequenceNumber":"', tail: '"}' };
}

/** A frame from its template; `payload` is base64 and `sequenceNumber` decimal digits (nothing to escape). */
export function fillMediaFrame(tpl: MediaFrameTemplate, payload: string, sequenceNumber: string): string {
  return tpl.head + payload + tpl.mid + sequenceNumber + tpl.tail;
}

/** One `media` frame (§4.3): `track`, `payload`, `sequenceNumber` (a string), nothing else. */
export function encodeMedia(msg: MediaMessage, opts: EncodeOptions): string {
  const inner = (v: string) => JSON.stringify(v).slice(1, -1);
  return fillMediaFrame(mediaFrameTemplate(msg.track, opts), inner(msg.payload), inner(String(msg.sequenceNumber)));
}

/** The `stop` frame (§4.5): the same metadata as `start`, never `streamParams`. */
export function encodeStop(msg: StopMessage, opts: EncodeOptions): string {
  return withEventType("stop", { metadata: orderedMetadata(msg.metadata) }, opts);
}

// ---------------------------------------------------------------------------------------------
// app → carrier

export type AppMessageProblem =
  | "not-json"
  | "not-object"
  | "missing-event-type"
  | "unknown-event"
  | "missing-field"
  | "bad-field-type"
  | "bad-content-type"
  | "bad-base64"
  | "odd-byte-count";

export interface PlayAudioFormat {
  contentType: PlayAudioContentType;
  encoding: "PCMU" | "L16";
  sampleRate: 8000 | 16000 | 24000;
  bytesPerSample: 1 | 2;
}

const FORMATS: Record<PlayAudioContentType, PlayAudioFormat> = Object.fromEntries(
  PLAY_AUDIO_CONTENT_TYPES.map((ct) => {
    const rate = ct === "audio/pcmu" ? 8000 : (Number(/rate=(\d+)/.exec(ct)![1]) as 8000 | 16000 | 24000);
    const f: PlayAudioFormat =
      ct === "audio/pcmu"
        ? { contentType: ct, encoding: "PCMU", sampleRate: 8000, bytesPerSample: 1 }
        : { contentType: ct, encoding: "L16", sampleRate: rate, bytesPerSample: 2 };
    return [ct, f];
  }),
) as Record<PlayAudioContentType, PlayAudioFormat>;

/** The format a canonical `playAudio` content type stands for. */
export const playAudioFormat = (ct: PlayAudioContentType): PlayAudioFormat => FORMATS[ct];

/** A validated `playAudio` payload: the canonical content type, the raw bytes, and what they hold. */
export interface PlayAudioPayload {
  format: PlayAudioFormat;
  /** The content type as the app wrote it. */
  rawContentType: string;
  /** False when the app's spelling differed from the canonical one (accepted by MIME rules). */
  exactContentType: boolean;
  /** Decoded base64: μ-law bytes for `audio/pcmu`, PCM16LE otherwise. */
  bytes: Uint8Array;
  samples: number;
  durationMs: number;
}

export type ParseResult =
  | { ok: true; msg: AppToCarrierMessage; audio?: PlayAudioPayload }
  | { ok: false; problem: AppMessageProblem; detail: string; eventType?: string };

export interface ParseOptions {
  /**
   * How `media.contentType` is matched (OPEN-10 leaves it open):
   * - `mime` (default): MIME rules: type, subtype and parameter names case-insensitive, optional
   *   whitespace around `;` and `=`, parameters in any order, quoted values unquoted. The same set of
   *   parameters is still required (the short `audio/pcm;rate=24000` is unknown).
   * - `exact`: the string must equal a canonical value after trimming outer whitespace.
   */
  contentTypeMatch?: "mime" | "exact";
  /** Accept base64 without its `=` padding (Java's decoder does); default false (strict). */
  allowUnpaddedBase64?: boolean;
}

/** Canonical form of a MIME type for comparison: lower-case, trimmed, parameters sorted. */
function mimeKey(ct: string): string | undefined {
  const parts = ct.split(";").map((p) => p.trim());
  const type = parts.shift()!.toLowerCase();
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type)) return undefined;
  const params: string[] = [];
  for (const p of parts) {
    if (p === "") continue;
    const eq = p.indexOf("=");
    if (eq <= 0) return undefined;
    const name = p.slice(0, eq).trim().toLowerCase();
    let value = p.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    params.push(`${name}=${value.toLowerCase()}`);
  }
  params.sort();
  return [type, ...params].join(";");
}

const BY_MIME_KEY = new Map(PLAY_AUDIO_CONTENT_TYPES.map((ct) => [mimeKey(ct)!, ct]));

/** The canonical content type `ct` stands for, or undefined when it is not one of §4.6's four. */
export function matchContentType(
  ct: string,
  match: "mime" | "exact" = "mime",
): { contentType: PlayAudioContentType; exact: boolean } | undefined {
  const trimmed = ct.trim();
  if ((PLAY_AUDIO_CONTENT_TYPES as readonly string[]).includes(trimmed)) {
    return { contentType: trimmed as PlayAudioContentType, exact: trimmed === ct };
  }
  if (match === "exact") return undefined;
  const key = mimeKey(trimmed);
  const hit = key === undefined ? undefined : BY_MIME_KEY.get(key);
  return hit ? { contentType: hit, exact: false } : undefined;
}

// A..Z a..z 0..9 + /
/** Each byte's value in the RFC 4648 §4 alphabet; -1 for every other byte (`=` included: padding is handled apart). */
export const BASE64_VALUES = new Int8Array(256).fill(-1);
[..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"].forEach((c, i) => (BASE64_VALUES[c.charCodeAt(0)] = i));

/**
 * Strict RFC 4648 §4 base64: only the standard alphabet, no whitespace, `=` padding only at the end
 * and only as much as the length needs. Returns the bytes or a located problem.
 */
export function decodeBase64Strict(
  s: string,
  allowUnpadded = false,
): { ok: true; bytes: Uint8Array } | { ok: false; detail: string } {
  let end = s.length;
  let pad = 0;
  while (end > 0 && s.charCodeAt(end - 1) === 61 /* = */) {
    end--;
    pad++;
  }
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || BASE64_VALUES[c] < 0) {
      const shown = c === 61 ? "'=' before the end" : JSON.stringify(s[i]);
      return { ok: false, detail: `invalid base64: ${shown} at offset ${i}` };
    }
  }
  const rem = end % 4;
  if (rem === 1) return { ok: false, detail: `invalid base64: ${end} data characters cannot encode whole bytes` };
  const needPad = rem === 0 ? 0 : 4 - rem;
  if (pad > needPad) return { ok: false, detail: `invalid base64: ${pad} '=' padding characters where ${needPad} belong` };
  if (pad < needPad && !(pad === 0 && allowUnpadded)) {
    return { ok: false, detail: `invalid base64: missing '=' padding (length ${s.length} is not a multiple of 4)` };
  }
  const buf = Buffer.from(s.slice(0, end), "base64");
  return { ok: true, bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const clip = (s: string, n = 80) => (s.length > n ? `${s.slice(0, n)}…` : s);

/**
 * Validate one text frame from the app (§4.6). `playAudio` must carry one of the four content
 * types, valid base64 and a whole number of samples; `clear` may carry extra fields (ignored, as
 * apps must ignore unknown fields and so does the carrier). Unknown fields on `playAudio` are ignored.
 */
export function parseAppMessage(data: string, opts: ParseOptions = {}): ParseResult {
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch (e) {
    return { ok: false, problem: "not-json", detail: `not JSON: ${(e as Error).message}; text starts ${JSON.stringify(clip(data, 60))}` };
  }
  return validateAppMessage(v, opts);
}

/** `parseAppMessage` for an already-parsed value. */
export function validateAppMessage(v: unknown, opts: ParseOptions = {}): ParseResult {
  if (!isPlainObject(v)) {
    return { ok: false, problem: "not-object", detail: `JSON ${Array.isArray(v) ? "array" : v === null ? "null" : typeof v} where an object was expected` };
  }
  const et = v.eventType;
  if (et === undefined) return { ok: false, problem: "missing-event-type", detail: "object without an eventType field" };
  if (typeof et !== "string") return { ok: false, problem: "bad-field-type", detail: `eventType is a ${typeof et}, not a string` };
  if (et === "clear") return { ok: true, msg: { eventType: "clear" } };
  if (et !== "playAudio") {
    return { ok: false, problem: "unknown-event", eventType: et, detail: `unknown eventType ${JSON.stringify(clip(et))} (the carrier accepts playAudio and clear)` };
  }
  const media = v.media;
  if (media === undefined) return { ok: false, problem: "missing-field", eventType: et, detail: "playAudio without media" };
  if (!isPlainObject(media)) return { ok: false, problem: "bad-field-type", eventType: et, detail: "playAudio media is not an object" };
  const { contentType, payload } = media;
  if (contentType === undefined) return { ok: false, problem: "missing-field", eventType: et, detail: "playAudio without media.contentType" };
  if (payload === undefined) return { ok: false, problem: "missing-field", eventType: et, detail: "playAudio without media.payload" };
  if (typeof contentType !== "string") return { ok: false, problem: "bad-field-type", eventType: et, detail: "media.contentType is not a string" };
  if (typeof payload !== "string") return { ok: false, problem: "bad-field-type", eventType: et, detail: "media.payload is not a string" };
  const m = matchContentType(contentType, opts.contentTypeMatch ?? "mime");
  if (!m) {
    return {
      ok: false,
      problem: "bad-content-type",
      eventType: et,
      detail: `unknown media.contentType ${JSON.stringify(clip(contentType, 120))} (accepted: ${PLAY_AUDIO_CONTENT_TYPES.join(" | ")})`,
    };
  }
  const b = decodeBase64Strict(payload, opts.allowUnpaddedBase64 ?? false);
  if (!b.ok) return { ok: false, problem: "bad-base64", eventType: et, detail: `media.payload: ${b.detail}` };
  const format = FORMATS[m.contentType];
  if (b.bytes.length % format.bytesPerSample !== 0) {
    return {
      ok: false,
      problem: "odd-byte-count",
      eventType: et,
      detail: `media.payload holds ${b.bytes.length} bytes: not a whole number of 16-bit samples for ${m.contentType}`,
    };
  }
  const samples = b.bytes.length / format.bytesPerSample;
  return {
    ok: true,
    msg: { eventType: "playAudio", media: { contentType, payload } },
    audio: {
      format,
      rawContentType: contentType,
      exactContentType: m.exact,
      bytes: b.bytes,
      samples,
      durationMs: (samples * 1000) / format.sampleRate,
    },
  };
}

/** Decoded audio of a validated payload at its own rate (μ-law expanded; PCM16LE read). */
export function payloadPcm(p: PlayAudioPayload): Int16Array {
  return p.format.encoding === "PCMU" ? decodeMulaw(p.bytes) : pcm16FromBytesLE(p.bytes);
}

export class PlayAudioError extends Error {
  constructor(
    readonly problem: AppMessageProblem,
    message: string,
  ) {
    super(message);
    this.name = "PlayAudioError";
  }
}

function validated(msg: PlayAudioMessage, opts?: ParseOptions): PlayAudioPayload {
  const r = validateAppMessage(msg, opts);
  if (!r.ok) throw new PlayAudioError(r.problem, r.detail);
  return r.audio!;
}

/**
 * The call audio a `playAudio` stands for: 8 kHz PCM16 (μ-law expanded; PCM at 8/16/24 kHz
 * resampled to the call's 8 kHz, as Bandwidth does — §4.6). One-shot: a stream uses a streaming
 * resampler across messages instead. Throws `PlayAudioError` on invalid input.
 */
export function decodePlayAudio(msg: PlayAudioMessage, opts?: ParseOptions): Int16Array {
  const p = validated(msg, opts);
  const pcm = payloadPcm(p);
  return p.format.sampleRate === 8000 ? pcm : resample(pcm, p.format.sampleRate, 8000);
}

/** The raw μ-law bytes of an `audio/pcmu` playAudio (for bit-exact checks); undefined for PCM. */
export function playAudioPcmu(msg: PlayAudioMessage, opts?: ParseOptions): Uint8Array | undefined {
  const p = validated(msg, opts);
  return p.format.encoding === "PCMU" ? p.bytes : undefined;
}
