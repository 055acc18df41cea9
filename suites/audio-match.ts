// Does one audio stream carry another? Used for "the bridge appended the caller's audio" and
// "the carrier received the model's audio". μ-law pass-through must be bit-exact; after a declared
// conversion the bar is a correlation of at least 0.98 (conformance.md audio.*).

import { decodeMulaw, encodeMulaw } from "../emulator/media/mulaw.js";
import { pcm16FromBytesLE } from "../emulator/media/pcm16.js";
import { resample } from "../emulator/media/resample.js";
import { correlation } from "../emulator/media/analysis.js";
import { fail, pass } from "./observe.js";
import type { CaseOutcome } from "./types.js";

const FRAME = 160;
const SILENCE = 0xff;

export interface ExactMatch {
  /** The received bytes appear in the sent bytes, in order, from `offset`. */
  exact: boolean;
  /** Where the received audio starts in the sent audio (bytes), -1 when not found. */
  offset: number;
  /** 20 ms frames of the received audio that do not match. */
  mismatchedFrames: number;
  /** Frames missing from the middle of the received audio (a gap), or repeated, or out of order. */
  dropped: number;
  duplicated: number;
  reordered: number;
  /** Frames compared. */
  frames: number;
}

function firstSpeech(b: Uint8Array): number {
  for (let i = 0; i < b.length; i++) if (b[i] !== SILENCE && b[i] !== 0x7f) return i;
  return -1;
}

function indexOf(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  return Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength).indexOf(Buffer.from(needle.buffer, needle.byteOffset, needle.byteLength), from);
}

/** First occurrence of `needle` at a 20 ms frame boundary of the run that starts at `offset`. */
function alignedIndexOf(hay: Uint8Array, needle: Uint8Array, offset: number): number {
  let from = Math.max(0, offset);
  for (;;) {
    const i = indexOf(hay, needle, from);
    if (i < 0 || (((i - offset) % FRAME) + FRAME) % FRAME === 0) return i;
    from = i + 1;
  }
}

/**
 * Bit-exact comparison of μ-law audio: `got` must be a contiguous run of `sent` (leading frames sent
 * before the bridge was ready and trailing frames after it stopped may be missing).
 */
export function matchMulaw(sent: Uint8Array, got: Uint8Array): ExactMatch {
  const none: ExactMatch = { exact: false, offset: -1, mismatchedFrames: Math.ceil(got.length / FRAME), dropped: 0, duplicated: 0, reordered: 0, frames: Math.ceil(got.length / FRAME) };
  if (got.length === 0) return { ...none, frames: 0, mismatchedFrames: 0 };
  const s = firstSpeech(got);
  if (s < 0) return { ...none, exact: sent.length > 0, offset: 0, mismatchedFrames: 0 };
  const probe = got.subarray(s, Math.min(got.length, s + FRAME));
  const at = indexOf(sent, probe);
  if (at < 0) return none;
  const offset = at - s;
  let mismatched = 0;
  const frames = Math.ceil(got.length / FRAME);
  for (let f = 0; f < frames; f++) {
    const a = got.subarray(f * FRAME, (f + 1) * FRAME);
    const i = offset + f * FRAME;
    if (i < 0 || i + a.length > sent.length) { mismatched++; continue; }
    const b = sent.subarray(i, i + a.length);
    if (Buffer.compare(Buffer.from(a), Buffer.from(b)) !== 0) mismatched++;
  }
  let dropped = 0, duplicated = 0, reordered = 0;
  if (mismatched) {
    // Locate each received speech frame in the sent audio to tell gaps from repeats and swaps.
    let last = -1;
    for (let f = 0; f < frames; f++) {
      const a = got.subarray(f * FRAME, (f + 1) * FRAME);
      if (a.length < FRAME || firstSpeech(a) < 0) continue;
      const i = alignedIndexOf(sent, a, offset);
      if (i < 0) continue;
      const idx = Math.round(i / FRAME);
      if (last >= 0) {
        if (idx === last) duplicated++;
        else if (idx < last) reordered++;
        else if (idx > last + 1) dropped += idx - last - 1;
      }
      last = idx;
    }
  }
  return { exact: mismatched === 0, offset, mismatchedFrames: mismatched, dropped, duplicated, reordered, frames };
}

/** Declared input formats a bridge may use for appended audio (GA and beta spellings). */
export type DeclaredFormat = "pcmu" | "pcma" | "pcm16-24k" | "unknown";

export function declaredFormat(f: string | undefined): DeclaredFormat {
  const s = (f ?? "").toLowerCase();
  if (s.includes("pcmu") || s.includes("ulaw")) return "pcmu";
  if (s.includes("pcma") || s.includes("alaw")) return "pcma";
  if (s.includes("pcm")) return "pcm16-24k";
  return "unknown";
}

/** Decode appended bytes as the declared format, to 8 kHz PCM. */
export function decodeAs(bytes: Uint8Array, format: DeclaredFormat): Int16Array | undefined {
  if (format === "pcmu") return decodeMulaw(bytes);
  if (format === "pcm16-24k") {
    if (bytes.length % 2) return undefined;
    return resample(pcm16FromBytesLE(bytes), 24000, 8000);
  }
  return undefined;
}

/** Correlation of two 8 kHz signals, searching a lag of up to 2 s. */
export function similarity(reference: Int16Array, candidate: Int16Array): number {
  if (!reference.length || !candidate.length) return 0;
  return correlation(reference, candidate, 16000).r;
}

/** Did one side get the other's audio as sent? The verdicts of audio.up.integrity and audio.down.integrity, and what latency trusts. */
export interface Fidelity {
  faithful: boolean;
  expected: string;
  observed: string;
  metrics?: Record<string, number>;
}

/** The bar after a declared conversion (conformance.md audio.*). */
const MIN_CORRELATION = 0.98;

/** The converted path: faithful when `candidate` correlates with `reference` at 0.98 or more. */
function correlated(reference: Int16Array | undefined, candidate: Int16Array | undefined, expected: string, notes: { pass: string; fail: string }): Fidelity {
  const r = reference && candidate ? similarity(reference, candidate) : 0;
  if (r >= MIN_CORRELATION) return { faithful: true, expected, observed: `correlation ${r.toFixed(3)}${notes.pass}`, metrics: { correlation: r } };
  return { faithful: false, expected, observed: `correlation ${r.toFixed(3)}${notes.fail}` };
}

/** Where a μ-law stream that should be bit-exact is not. */
function differences(m: ExactMatch): string {
  return `${m.mismatchedFrames}/${m.frames} frames differ; dropped ${m.dropped}, duplicated ${m.duplicated}, reordered ${m.reordered}`;
}

/** The caller's inbound track (`inboundPcmu` when the carrier sent μ-law) against what the bridge appended. */
export function upstreamFidelity(rec: { inboundPcm: Int16Array; inboundPcmu?: Uint8Array }, s: { appendedAudio(): Uint8Array; inputFormat?: string }): Fidelity {
  const got = s.appendedAudio();
  if (!got.length) return { faithful: false, expected: "the caller's audio appended", observed: "nothing appended" };
  const fmt = declaredFormat(s.inputFormat);
  if (fmt === "pcmu" || fmt === "unknown") {
    const m = matchMulaw(rec.inboundPcmu ?? encodeMulaw(rec.inboundPcm), got);
    if (m.exact) return { faithful: true, expected: "bit-exact μ-law", observed: `${m.frames} frames bit-exact (from byte ${m.offset})`, metrics: { frames: m.frames } };
    const observed = m.offset < 0 ? "the appended audio does not contain the caller's μ-law audio" : differences(m);
    return { faithful: false, expected: "bit-exact μ-law, no dropped or reordered frames", observed };
  }
  return correlated(rec.inboundPcm, decodeAs(got, fmt), "correlation ≥ 0.98 after the declared conversion", { pass: ` after ${fmt} conversion`, fail: ` (declared ${s.inputFormat})` });
}

/** The model's reply audio (what the stub sent) against what the carrier received and played. */
export function downstreamFidelity(rec: { playedPcm: Int16Array; receivedPcmu?: Uint8Array }, s: { sentAudio(): Uint8Array; outputFormat?: string }): Fidelity {
  const said = s.sentAudio();
  if (!said.length) return { faithful: false, expected: "model audio relayed", observed: "the model sent no audio" };
  const fmt = declaredFormat(s.outputFormat);
  const got = rec.receivedPcmu;
  if (got?.length && fmt === "pcmu") {
    const m = matchMulaw(said, got);
    if (!m.exact) return { faithful: false, expected: "bit-exact μ-law", observed: differences(m) };
    // Bit-exact as far as it goes; at most the last frame may be missing.
    if (got.length < said.length - FRAME) return { faithful: false, expected: "all of the model's audio", observed: `${got.length} of ${said.length} bytes arrived` };
    return { faithful: true, expected: "bit-exact μ-law", observed: `${m.frames} frames bit-exact`, metrics: { frames: m.frames } };
  }
  return correlated(decodeAs(said, fmt), rec.playedPcm, "correlation ≥ 0.98 with the model's audio", { pass: "", fail: "" });
}

/** A fidelity as a case's outcome. */
export function fidelityOutcome(f: Fidelity): CaseOutcome {
  return f.faithful ? pass(f.observed, f.metrics) : fail(f.expected, f.observed);
}
