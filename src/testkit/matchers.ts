// Matchers on a placed call's record (record.ts): each says what it expected and what the call
// actually did, with the figures (the stream's destination and how much audio went, the webhooks
// sent and the app's answers, what the caller heard, each turn's latency). Pure: the Vitest
// adapter (src/vitest.ts) only registers them.

import { catalogue, nearest } from "../../emulator/bxml/catalogue/index.js";
import { speechMask } from "../../emulator/media/analysis.js";
import { SPEECH_LEVEL } from "../../emulator/media/speech-level.js";
import { escapeControls } from "../../emulator/text/escape.js";
import { eventsOf, type PlacedCall } from "./record.js";

export interface MatcherResult {
  pass: boolean;
  message: () => string;
}

/** Bandwidth's webhook eventTypes: the call's own, and every verb's (from the BXML catalogue). */
export const WEBHOOK_EVENT_TYPES: readonly string[] = [
  ...new Set(["initiate", "answer", "disconnect", "redirect", ...Object.values(catalogue).flatMap((s) => [...s.bxmlWebhooks, ...s.notificationWebhooks])]),
];

/** An eventType name, with the known ones offered by editors. */
export type WebhookEventType = "initiate" | "answer" | "disconnect" | "redirect" | "mediaStreamStarted" | "mediaStreamStopped" | "mediaStreamRejected" | "gather" | "recordComplete" | "recordingAvailable" | "transferComplete" | (string & {});

const FRAME_MS = 20;
const RATE = 8000;
const show = (s: string): string => escapeControls(s);
const msOf = (samples: number): string => fmtMs((samples / RATE) * 1000);
function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

function isRecord(v: unknown): v is PlacedCall {
  return typeof v === "object" && v !== null && typeof (v as PlacedCall).callId === "string" && Array.isArray((v as PlacedCall).webhooks) && Array.isArray((v as PlacedCall).streams);
}

function notRecord(v: unknown): MatcherResult {
  const got = v === null ? "null" : Array.isArray(v) ? "an array" : typeof v;
  return { pass: false, message: () => `expected the record placeCall() returns (a call with callId, streams, webhooks), got ${got}` };
}

const ending = (c: PlacedCall): string => `the call ended: ${show(c.disconnectCause)}${c.errorMessage ? ` (${show(c.errorMessage)})` : ""}`;

/** What happened to each StartStream of the call, one line each. */
function streamLines(c: PlacedCall): string[] {
  return eventsOf(c, "stream.connect").map((e) => {
    const d = e.data;
    const rec = c.streams.find((s) => s.streamId === d.streamId);
    const head = `  '${show(d.name)}' → ${show(d.destination)}: `;
    if (!d.ok) return `${head}not connected (${d.status !== undefined ? `HTTP ${d.status}` : show(d.error ?? "failed")})`;
    const sent = rec ? msOf(rec.inboundPcm.length) : "?";
    const close = rec?.closedBy ? `, closed by ${rec.closedBy}${rec.closeCode !== undefined ? ` (${rec.closeCode})` : ""}` : "";
    return `${head}connected, ${sent} of caller audio sent${close}`;
  });
}

export interface StreamedOptions {
  /** Only the stream of this `name`. */
  name?: string;
  /** At least this much caller audio sent on it (default: one 20 ms frame). */
  minMs?: number;
}

export function toHaveStreamed(received: unknown, options: StreamedOptions = {}): MatcherResult {
  if (!isRecord(received)) return notRecord(received);
  const c = received;
  const minMs = options.minMs ?? FRAME_MS;
  const connects = eventsOf(c, "stream.connect").filter((e) => options.name === undefined || e.data.name === options.name);
  const streamed = connects.filter((e) => {
    const rec = c.streams.find((s) => s.streamId === e.data.streamId);
    return e.data.ok && rec !== undefined && (rec.inboundPcm.length / RATE) * 1000 >= minMs;
  });
  const what = `${options.name !== undefined ? `stream '${show(options.name)}'` : "a media stream"}${minMs > FRAME_MS ? ` carrying ≥ ${fmtMs(minMs)} of caller audio` : ""}`;
  const observed = (): string => {
    const lines = streamLines(c);
    if (lines.length) return `streams:\n${lines.join("\n")}`;
    if (!c.documents.length) return `the app returned no BXML; ${ending(c)}`;
    return `no StartStream ran (${c.documents.length} BXML document(s) received, the first:\n${indent(c.documents[0].text)}); ${ending(c)}`;
  };
  return {
    pass: streamed.length > 0,
    message: () => (streamed.length ? `expected the call not to have ${what}, but:\n${observed()}` : `expected the call to have ${what}, but ${observed()}`),
  };
}

export interface WebhookOptions {
  /** Exactly this many acknowledged (2xx) deliveries (default: at least one). */
  times?: number;
}

export function toHaveReceivedWebhook(received: unknown, eventType: WebhookEventType, options: WebhookOptions = {}): MatcherResult {
  if (!isRecord(received)) return notRecord(received);
  if (typeof eventType !== "string") return { pass: false, message: () => `toHaveReceivedWebhook(eventType): give Bandwidth's eventType name as a string, e.g. "mediaStreamStarted"` };
  const c = received;
  const sent = c.webhooks.filter((w) => w.eventType === eventType);
  const acked = sent.filter((w) => w.ok);
  const pass = options.times === undefined ? acked.length > 0 : acked.length === options.times;
  const all = c.webhooks.length ? c.webhooks.map((w) => `${w.eventType} (${w.ok ? w.status : `${w.status ?? show(w.error ?? "failed")}, not acknowledged`})`).join(", ") : "none";
  const count = options.times === undefined ? "" : ` ${options.times} time(s)`;
  const hints: string[] = [];
  if (!WEBHOOK_EVENT_TYPES.includes(eventType)) {
    const near = nearest(eventType, WEBHOOK_EVENT_TYPES, 6);
    hints.push(`"${show(eventType)}" is not one of Bandwidth's eventTypes${near ? `: did you mean "${near}"?` : ""}`);
  } else if (!sent.length && eventType.startsWith("mediaStream")) {
    hints.push("Bandwidth sends mediaStream* webhooks only to a StartStream's streamEventUrl");
  }
  return {
    pass,
    message: () =>
      [
        `expected the app ${pass ? "not " : ""}to have received and acknowledged (2xx) a "${show(eventType)}" webhook${count}; ` +
          `sent ${sent.length} time(s), acknowledged ${acked.length}`,
        `webhooks sent: ${all}`,
        ...hints,
      ].join("\n"),
  };
}

export interface HeardReplyOptions {
  /** At least this much speech-level audio heard (default 200 ms). */
  minMs?: number;
}

export function toHaveHeardReply(received: unknown, options: HeardReplyOptions = {}): MatcherResult {
  if (!isRecord(received)) return notRecord(received);
  const c = received;
  const minMs = options.minMs ?? 200;
  // The speech level the latency points use (speech-level.ts): audible speech, not line noise.
  const speechMs = speechMask(c.heardPcm, RATE, SPEECH_LEVEL).reduce((n, f) => n + f, 0) * FRAME_MS;
  const plays = eventsOf(c, "audio.queued").length;
  const pass = speechMs >= minMs;
  const observed = `the caller heard ${fmtMs(speechMs)} of speech in ${msOf(c.heardPcm.length)} of call audio (${plays} playAudio chunk(s) queued)`;
  const why = pass ? "" : plays === 0 && c.heardPcm.length === 0 ? `\nno audio came back; ${ending(c)}${streamLines(c).length ? `\nstreams:\n${streamLines(c).join("\n")}` : ""}` : "";
  return {
    pass,
    message: () => `expected the caller ${pass ? "not " : ""}to have heard a reply (≥ ${fmtMs(minMs)} of speech); ${observed}${why}`,
  };
}

export interface TurnLatencyOptions {
  /** Judge this figure of the call's turns (default "max": every turn). */
  percentile?: "p50" | "p95" | "max";
}

export function toHaveTurnLatencyBelow(received: unknown, ms: number, options: TurnLatencyOptions = {}): MatcherResult {
  if (!isRecord(received)) return notRecord(received);
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms <= 0) return { pass: false, message: () => `toHaveTurnLatencyBelow(ms): give a positive number of milliseconds, got ${String(ms)}` };
  const c = received;
  const lat = c.latency;
  if (!lat || lat.turns.length === 0) {
    const why = !lat
      ? "no latency was measured: the caller said nothing (give placeCall an `audio`) or the carrier paced `fast`"
      : `the caller's audio held no utterance the carrier could time; ${ending(c)}`;
    return { pass: false, message: () => `expected turn latency below ${fmtMs(ms)}, but ${why}` };
  }
  const turns = lat.turns.filter((t) => t.kind === "turn");
  const failed = turns.filter((t) => t.failure !== undefined);
  const which = options.percentile ?? "max";
  const figure = which === "max" ? lat.summary.turn.max : lat.summary.turn[which];
  const pass = failed.length === 0 && figure !== undefined && figure < ms;
  const lines = turns.map((t) => {
    const v = t.failure ?? (t.harnessError ? `not measured (${t.harnessError})` : t.turnMs !== undefined ? fmtMs(t.turnMs) : "?");
    const over = t.turnMs !== undefined && t.turnMs >= ms ? `  ← not below ${fmtMs(ms)}` : "";
    return `  turn ${t.index}: ${v}${over}`;
  });
  const head = `expected ${which === "max" ? "every turn's latency" : `the ${which} turn latency`} ${pass ? "not " : ""}to be below ${fmtMs(ms)} (caller's end of speech → first reply audio at the carrier)`;
  const tail = failed.length ? `\n${failed.length} turn(s) failed` : figure !== undefined ? `\n${which}: ${fmtMs(figure)}` : "";
  return { pass, message: () => `${head}; measured:\n${lines.join("\n")}${tail}` };
}

function indent(text: string): string {
  const lines = escapeControls(text, { multiline: true }).split("\n");
  const shown = lines.slice(0, 12).map((l) => `    ${l.length > 160 ? `${l.slice(0, 160)}…` : l}`);
  return shown.join("\n") + (lines.length > 12 ? `\n    … (${lines.length - 12} more lines)` : "");
}
