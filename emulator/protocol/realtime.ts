// Wire shapes of the OpenAI Realtime WebSocket interface, GA and beta dialects, defined once for the
// stub, the bridges under test, the suites and the tests (openai-realtime.md).
// Also the runtime validators for client events and `session.update` payloads (§4.1, §7.2, §9.2):
// each returns either the value or one located `RealtimeWireError` (code + param + message), which the
// stub turns into exactly one `error` event.

import { CLIENT_EVENT_SHAPE, checkJsonShape } from "./json-shape.js";

export type Dialect = "ga" | "beta";

// ---------------------------------------------------------------------------------------------
// Audio formats (§3.5, §5.1)

/** Canonical names used inside bwemu. */
export type AudioFormatName = "pcm16" | "pcmu" | "pcma";

export type GaAudioFormat = { type: "audio/pcm"; rate: 24000 } | { type: "audio/pcmu" } | { type: "audio/pcma" };
export type BetaAudioFormat = "pcm16" | "g711_ulaw" | "g711_alaw";

export const GA_FORMAT: Record<AudioFormatName, GaAudioFormat> = {
  pcm16: { type: "audio/pcm", rate: 24000 },
  pcmu: { type: "audio/pcmu" },
  pcma: { type: "audio/pcma" },
};
export const BETA_FORMAT: Record<AudioFormatName, BetaAudioFormat> = { pcm16: "pcm16", pcmu: "g711_ulaw", pcma: "g711_alaw" };

/** Bytes per millisecond of audio on the wire (§5.1): µ-law/A-law 8, PCM16 24 kHz 48. */
export const BYTES_PER_MS: Record<AudioFormatName, number> = { pcm16: 48, pcmu: 8, pcma: 8 };
/** Sample rate of each format. */
export const SAMPLE_RATE: Record<AudioFormatName, number> = { pcm16: 24000, pcmu: 8000, pcma: 8000 };

/**
 * Any spelling accepted in stub configuration (openai-agents' mapping, §3.5) → canonical name.
 * Wire validation is stricter: GA accepts only the object form, beta only its strings.
 */
export function audioFormatFromAny(v: unknown): AudioFormatName | undefined {
  const s = typeof v === "object" && v !== null ? (v as { type?: unknown }).type : v;
  switch (s) {
    case "pcm16": case "audio/pcm": case "pcm": return "pcm16";
    case "g711_ulaw": case "audio/pcmu": case "pcmu": return "pcmu";
    case "g711_alaw": case "audio/pcma": case "pcma": return "pcma";
    default: return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Session objects (§3.4, §4.4, §4.6)

export interface GaTurnDetectionServerVad {
  type: "server_vad";
  threshold: number;
  prefix_padding_ms: number;
  silence_duration_ms: number;
  idle_timeout_ms: number | null;
  create_response: boolean;
  interrupt_response: boolean;
}
export interface GaTurnDetectionSemanticVad {
  type: "semantic_vad";
  eagerness: "low" | "medium" | "high" | "auto";
  create_response: boolean;
  interrupt_response: boolean;
}
export type TurnDetection = GaTurnDetectionServerVad | GaTurnDetectionSemanticVad;

export interface GaSession {
  type: "realtime";
  object: "realtime.session";
  id: string;
  model: string;
  output_modalities: ("audio" | "text")[];
  instructions: string;
  tools: unknown[];
  tool_choice: unknown;
  max_output_tokens: number | "inf";
  tracing: unknown;
  truncation: unknown;
  prompt: unknown;
  expires_at: number;
  audio: {
    input: { format: GaAudioFormat; transcription: Record<string, unknown> | null; noise_reduction: { type: string } | null; turn_detection: TurnDetection | null };
    output: { format: GaAudioFormat; voice: string | { id: string }; speed: number };
  };
  include: unknown;
  reasoning?: unknown;
  parallel_tool_calls?: boolean;
}

export interface BetaSession {
  id: string;
  object: "realtime.session";
  model: string;
  expires_at: number;
  modalities: ("audio" | "text")[];
  instructions: string;
  voice: string;
  turn_detection: Omit<GaTurnDetectionServerVad, "idle_timeout_ms"> | Omit<GaTurnDetectionSemanticVad, never> | null;
  input_audio_format: BetaAudioFormat;
  output_audio_format: BetaAudioFormat;
  input_audio_transcription: Record<string, unknown> | null;
  input_audio_noise_reduction?: { type: string } | null;
  tool_choice: unknown;
  temperature: number;
  max_response_output_tokens: number | "inf";
  tools: unknown[];
  speed?: number;
  tracing?: unknown;
}

// ---------------------------------------------------------------------------------------------
// Items (§7.3) and responses (§7.5)

export interface RealtimeItem {
  id: string;
  object?: "realtime.item";
  type: "message" | "function_call" | "function_call_output";
  status?: "in_progress" | "completed" | "incomplete";
  role?: "user" | "assistant" | "system";
  content?: Record<string, unknown>[];
  call_id?: string;
  name?: string;
  arguments?: string;
  output?: string;
}

export interface RealtimeResponse {
  object: "realtime.response";
  id: string;
  status: "in_progress" | "completed" | "cancelled" | "failed" | "incomplete";
  status_details: null | { type: string; reason?: string; error?: { type: string; code: string; message?: string } };
  output: RealtimeItem[];
  conversation_id: string | null;
  usage: null | Record<string, unknown>;
  metadata: Record<string, string> | null;
  [k: string]: unknown;
}

// ---------------------------------------------------------------------------------------------
// Client events (§7.2; identical names in both dialects, §3.3)

export const CLIENT_EVENT_TYPES = [
  "session.update",
  "input_audio_buffer.append",
  "input_audio_buffer.commit",
  "input_audio_buffer.clear",
  "conversation.item.create",
  "conversation.item.retrieve",
  "conversation.item.truncate",
  "conversation.item.delete",
  "response.create",
  "response.cancel",
  "output_audio_buffer.clear",
  "transcription_session.update",
] as const;
export type ClientEventType = (typeof CLIENT_EVENT_TYPES)[number];

interface ClientBase { event_id?: string }
export interface SessionUpdateEvent extends ClientBase { type: "session.update"; session: Record<string, unknown> }
export interface AppendEvent extends ClientBase { type: "input_audio_buffer.append"; audio: string }
export interface CommitEvent extends ClientBase { type: "input_audio_buffer.commit" }
export interface ClearEvent extends ClientBase { type: "input_audio_buffer.clear" }
export interface ItemCreateEvent extends ClientBase { type: "conversation.item.create"; item: Record<string, unknown>; previous_item_id?: string | null }
export interface ItemRetrieveEvent extends ClientBase { type: "conversation.item.retrieve"; item_id: string }
export interface ItemTruncateEvent extends ClientBase { type: "conversation.item.truncate"; item_id: string; content_index: number; audio_end_ms: number }
export interface ItemDeleteEvent extends ClientBase { type: "conversation.item.delete"; item_id: string }
export interface ResponseCreateEvent extends ClientBase { type: "response.create"; response?: Record<string, unknown> }
export interface ResponseCancelEvent extends ClientBase { type: "response.cancel"; response_id?: string }
export interface OutputAudioClearEvent extends ClientBase { type: "output_audio_buffer.clear" }
export interface TranscriptionSessionUpdateEvent extends ClientBase { type: "transcription_session.update"; session?: unknown }

export type ClientEvent =
  | SessionUpdateEvent | AppendEvent | CommitEvent | ClearEvent | ItemCreateEvent | ItemRetrieveEvent
  | ItemTruncateEvent | ItemDeleteEvent | ResponseCreateEvent | ResponseCancelEvent | OutputAudioClearEvent
  | TranscriptionSessionUpdateEvent;

// ---------------------------------------------------------------------------------------------
// Server events (§3.2, §7.4). Names that differ by dialect are looked up through `serverNames`.

export const GA_SERVER_EVENT_TYPES = [
  "error", "session.created", "session.updated",
  "conversation.item.added", "conversation.item.done", "conversation.item.retrieved",
  "conversation.item.truncated", "conversation.item.deleted",
  "conversation.item.input_audio_transcription.delta", "conversation.item.input_audio_transcription.completed",
  "conversation.item.input_audio_transcription.failed",
  "input_audio_buffer.speech_started", "input_audio_buffer.speech_stopped", "input_audio_buffer.committed",
  "input_audio_buffer.cleared", "input_audio_buffer.timeout_triggered",
  "response.created", "response.done", "response.output_item.added", "response.output_item.done",
  "response.content_part.added", "response.content_part.done",
  "response.output_audio.delta", "response.output_audio.done",
  "response.output_audio_transcript.delta", "response.output_audio_transcript.done",
  "response.output_text.delta", "response.output_text.done",
  "response.function_call_arguments.delta", "response.function_call_arguments.done",
  "rate_limits.updated",
] as const;

export const BETA_SERVER_EVENT_TYPES = [
  "error", "session.created", "session.updated",
  "conversation.item.created", "conversation.item.retrieved", "conversation.item.truncated", "conversation.item.deleted",
  "conversation.item.input_audio_transcription.delta", "conversation.item.input_audio_transcription.completed",
  "conversation.item.input_audio_transcription.failed",
  "input_audio_buffer.speech_started", "input_audio_buffer.speech_stopped", "input_audio_buffer.committed",
  "input_audio_buffer.cleared",
  "response.created", "response.done", "response.output_item.added", "response.output_item.done",
  "response.content_part.added", "response.content_part.done",
  "response.audio.delta", "response.audio.done", "response.audio_transcript.delta", "response.audio_transcript.done",
  "response.text.delta", "response.text.done",
  "response.function_call_arguments.delta", "response.function_call_arguments.done",
  "rate_limits.updated",
] as const;

/** The dialect-dependent server event names (§3.2). */
export interface ServerNames {
  audioDelta: string; audioDone: string; transcriptDelta: string; transcriptDone: string;
  textDelta: string; textDone: string;
}
export const SERVER_NAMES: Record<Dialect, ServerNames> = {
  ga: {
    audioDelta: "response.output_audio.delta", audioDone: "response.output_audio.done",
    transcriptDelta: "response.output_audio_transcript.delta", transcriptDone: "response.output_audio_transcript.done",
    textDelta: "response.output_text.delta", textDone: "response.output_text.done",
  },
  beta: {
    audioDelta: "response.audio.delta", audioDone: "response.audio.done",
    transcriptDelta: "response.audio_transcript.delta", transcriptDone: "response.audio_transcript.done",
    textDelta: "response.text.delta", textDone: "response.text.done",
  },
};

// ---------------------------------------------------------------------------------------------
// Validation

/** One located client mistake (§9.2). `param` names the offending field, e.g. `session.audio.input.format`. */
export interface RealtimeWireError {
  type: "invalid_request_error";
  code: string;
  message: string;
  param: string | null;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; error: RealtimeWireError };

const wireError = (code: string, message: string, param: string | null = null): RealtimeWireError => ({
  type: "invalid_request_error", code, message, param,
});
export const missing = (param: string) => wireError("missing_required_parameter", `Missing required parameter: '${param}'.`, param);
export const unknownParam = (param: string) => wireError("unknown_parameter", `Unknown parameter: '${param}'.`, param);
/** The spec's policy code for rows whose live code is UNCONFIRMED (§9.2 last paragraph). */
export const invalidValue = (param: string | null, message: string) => wireError("invalid_value", message, param);
export const invalidType = (param: string, expected: string, got: unknown) =>
  wireError("invalid_type", `Invalid type for '${param}': expected ${expected}, but got ${describe(got)} instead.`, param);
export const badEnum = (param: string, got: unknown, allowed: readonly string[]) =>
  invalidValue(param, `Invalid value: '${String(got)}'. Supported values are: ${allowed.map((a) => `'${a}'`).join(", ")}.`);

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Envelope and per-event required fields (§7.1, §7.2). Deep checks of `session`, `item` and `response`
 * payloads are done by the functions below so that their errors carry full paths.
 */
export function parseClientEvent(text: string): Checked<ClientEvent> & { eventId?: string | null } {
  // Shape first, without parsing: a hostile nesting must cost no other session its pacing.
  const shape = checkJsonShape(text, CLIENT_EVENT_SHAPE);
  if (shape) {
    const what =
      shape.kind === "too-deep"
        ? `nesting deeper than ${shape.limit} levels`
        : shape.kind === "too-many-values"
          ? `more than ${shape.limit} values`
          : `${shape.chars} bytes outside strings (at most ${shape.limit}: put bulk data such as audio in string fields)`;
    return { ok: false, error: invalidValue(null, `Invalid JSON: ${what}. Every client event must be one JSON object.`), eventId: null };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: invalidValue(null, `Invalid JSON: ${(e as Error).message}. Every client event must be one JSON object.`), eventId: null };
  }
  if (!isObject(raw)) return { ok: false, error: invalidValue(null, "Every client event must be a JSON object."), eventId: null };
  const eventId = typeof raw.event_id === "string" ? raw.event_id : null;
  const fail = (error: RealtimeWireError) => ({ ok: false as const, error, eventId });
  if (raw.event_id !== undefined && typeof raw.event_id !== "string") return fail(invalidType("event_id", "a string", raw.event_id));
  if (raw.type === undefined) return fail(missing("type"));
  if (typeof raw.type !== "string") return fail(invalidType("type", "a string", raw.type));
  if (!(CLIENT_EVENT_TYPES as readonly string[]).includes(raw.type)) return fail(badEnum("type", raw.type, CLIENT_EVENT_TYPES));
  const str = (k: string) => typeof raw[k] === "string";
  switch (raw.type as ClientEventType) {
    case "session.update":
      if (raw.session === undefined) return fail(missing("session"));
      if (!isObject(raw.session)) return fail(invalidType("session", "an object", raw.session));
      break;
    case "input_audio_buffer.append":
      if (raw.audio === undefined) return fail(missing("audio"));
      if (!str("audio")) return fail(invalidType("audio", "a base64 string", raw.audio));
      break;
    case "conversation.item.create":
      if (raw.item === undefined) return fail(missing("item"));
      if (!isObject(raw.item)) return fail(invalidType("item", "an object", raw.item));
      if (raw.previous_item_id !== undefined && raw.previous_item_id !== null && !str("previous_item_id"))
        return fail(invalidType("previous_item_id", "a string", raw.previous_item_id));
      break;
    case "conversation.item.retrieve":
    case "conversation.item.delete":
      if (raw.item_id === undefined) return fail(missing("item_id"));
      if (!str("item_id")) return fail(invalidType("item_id", "a string", raw.item_id));
      break;
    case "conversation.item.truncate":
      for (const k of ["item_id", "content_index", "audio_end_ms"]) if (raw[k] === undefined) return fail(missing(k));
      if (!str("item_id")) return fail(invalidType("item_id", "a string", raw.item_id));
      if (!Number.isInteger(raw.content_index) || (raw.content_index as number) < 0) return fail(invalidType("content_index", "a non-negative integer", raw.content_index));
      if (!Number.isInteger(raw.audio_end_ms) || (raw.audio_end_ms as number) < 0) return fail(invalidType("audio_end_ms", "a non-negative integer", raw.audio_end_ms));
      break;
    case "response.create":
      if (raw.response !== undefined && raw.response !== null && !isObject(raw.response)) return fail(invalidType("response", "an object", raw.response));
      break;
    case "response.cancel":
      if (raw.response_id !== undefined && !str("response_id")) return fail(invalidType("response_id", "a string", raw.response_id));
      break;
    default:
      break;
  }
  return { ok: true, value: raw as unknown as ClientEvent, eventId };
}

// --- base64 (append.audio) ------------------------------------------------------------------

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** Strict base64 check (Buffer.from silently skips garbage, which would hide a bridge bug). */
export function decodeBase64Strict(s: string): Uint8Array | undefined {
  if (s.length % 4 !== 0 || !B64.test(s)) return undefined;
  const b = Buffer.from(s, "base64");
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

// --- session.update -------------------------------------------------------------------------

const EAGERNESS = ["low", "medium", "high", "auto"] as const;

/** Keys accepted at each level of a GA `session.update` (§3.4). Anything else → `unknown_parameter`. */
const GA_SESSION_KEYS = new Set([
  "type", "model", "output_modalities", "instructions", "audio", "tools", "tool_choice", "max_output_tokens",
  "tracing", "truncation", "prompt", "include", "reasoning", "parallel_tool_calls",
]);
const GA_AUDIO_INPUT_KEYS = new Set(["format", "transcription", "noise_reduction", "turn_detection"]);
const GA_AUDIO_OUTPUT_KEYS = new Set(["format", "voice", "speed"]);
const SERVER_VAD_KEYS = new Set(["type", "threshold", "prefix_padding_ms", "silence_duration_ms", "idle_timeout_ms", "create_response", "interrupt_response"]);
const SEMANTIC_VAD_KEYS = new Set(["type", "eagerness", "create_response", "interrupt_response"]);

const BETA_SESSION_KEYS = new Set([
  "model", "modalities", "instructions", "voice", "input_audio_format", "output_audio_format",
  "input_audio_transcription", "input_audio_noise_reduction", "turn_detection", "tools", "tool_choice",
  "temperature", "max_response_output_tokens", "speed", "tracing",
]);

type Err = RealtimeWireError | undefined;

function checkGaFormat(v: unknown, param: string): Err {
  if (!isObject(v)) return invalidType(param, "an object", v);
  const allowed = ["audio/pcm", "audio/pcmu", "audio/pcma"];
  if (!allowed.includes(v.type as string)) return badEnum(`${param}.type`, v.type, allowed);
  for (const k of Object.keys(v)) if (k !== "type" && k !== "rate") return unknownParam(`${param}.${k}`);
  if (v.rate !== undefined) {
    if (v.type !== "audio/pcm") return unknownParam(`${param}.rate`);
    if (v.rate !== 24000) return badEnum(`${param}.rate`, v.rate, ["24000"]);
  }
  return undefined;
}

function checkTurnDetection(v: unknown, param: string, dialect: Dialect): Err {
  if (v === null) return undefined;
  if (!isObject(v)) return invalidType(param, "an object or null", v);
  const types = ["server_vad", "semantic_vad"];
  if (!types.includes(v.type as string)) return v.type === undefined ? missing(`${param}.type`) : badEnum(`${param}.type`, v.type, types);
  const keys = v.type === "server_vad" ? SERVER_VAD_KEYS : SEMANTIC_VAD_KEYS;
  for (const k of Object.keys(v)) {
    if (!keys.has(k) || (dialect === "beta" && k === "idle_timeout_ms")) return unknownParam(`${param}.${k}`);
  }
  if (v.threshold !== undefined && !(typeof v.threshold === "number" && v.threshold >= 0 && v.threshold <= 1))
    return invalidValue(`${param}.threshold`, `Invalid '${param}.threshold': expected a number between 0 and 1.`);
  for (const k of ["prefix_padding_ms", "silence_duration_ms"]) {
    if (v[k] !== undefined && !(Number.isInteger(v[k]) && (v[k] as number) >= 0)) return invalidType(`${param}.${k}`, "a non-negative integer", v[k]);
  }
  if (v.idle_timeout_ms !== undefined && v.idle_timeout_ms !== null && !(Number.isInteger(v.idle_timeout_ms) && (v.idle_timeout_ms as number) > 0))
    return invalidType(`${param}.idle_timeout_ms`, "a positive integer or null", v.idle_timeout_ms);
  for (const k of ["create_response", "interrupt_response"]) if (v[k] !== undefined && typeof v[k] !== "boolean") return invalidType(`${param}.${k}`, "a boolean", v[k]);
  if (v.eagerness !== undefined && !EAGERNESS.includes(v.eagerness as never)) return badEnum(`${param}.eagerness`, v.eagerness, EAGERNESS);
  return undefined;
}

function checkCommon(s: Record<string, unknown>, p: (k: string) => string): Err {
  if (s.instructions !== undefined && typeof s.instructions !== "string") return invalidType(p("instructions"), "a string", s.instructions);
  if (s.model !== undefined && typeof s.model !== "string") return invalidType(p("model"), "a string", s.model);
  if (s.tools !== undefined) {
    if (!Array.isArray(s.tools)) return invalidType(p("tools"), "an array", s.tools);
    for (const [i, t] of s.tools.entries()) {
      if (!isObject(t)) return invalidType(`${p("tools")}[${i}]`, "an object", t);
      if (t.type !== "function" && t.type !== "mcp") return badEnum(`${p("tools")}[${i}].type`, t.type, ["function", "mcp"]);
      if (t.type === "function" && typeof t.name !== "string") return missing(`${p("tools")}[${i}].name`);
    }
  }
  if (s.tool_choice !== undefined && typeof s.tool_choice !== "string" && !isObject(s.tool_choice)) return invalidType(p("tool_choice"), "a string or an object", s.tool_choice);
  if (typeof s.tool_choice === "string" && !["auto", "none", "required"].includes(s.tool_choice)) return badEnum(p("tool_choice"), s.tool_choice, ["auto", "none", "required"]);
  return undefined;
}

function checkMaxTokens(v: unknown, param: string): Err {
  if (v === undefined || v === "inf") return undefined;
  if (!(Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 4096)) return invalidValue(param, `Invalid '${param}': expected an integer between 1 and 4096, or 'inf'.`);
  return undefined;
}

function checkVoice(v: unknown, param: string, allowObject: boolean): Err {
  if (v === undefined) return undefined;
  if (typeof v === "string") return v.length ? undefined : invalidValue(param, `Invalid '${param}': empty voice.`);
  if (allowObject && isObject(v) && typeof v.id === "string") return undefined;
  return invalidType(param, allowObject ? "a string or {id}" : "a string", v);
}

function checkSpeed(v: unknown, param: string): Err {
  if (v === undefined) return undefined;
  if (!(typeof v === "number" && v >= 0.25 && v <= 1.5)) return invalidValue(param, `Invalid '${param}': expected a number between 0.25 and 1.5.`);
  return undefined;
}

function checkModalities(v: unknown, param: string, dialect: Dialect): Err {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length === 0) return invalidType(param, "a non-empty array", v);
  for (const m of v) if (m !== "audio" && m !== "text") return badEnum(param, m, ["audio", "text"]);
  if (dialect === "ga" && v.length !== 1) return invalidValue(param, `Invalid '${param}': exactly one of 'audio' or 'text' is allowed.`);
  return undefined;
}

/**
 * Validate a GA `session.update.session` (§4.1): `type` required, beta or unknown fields refuse the whole
 * update. Returns the first problem, or undefined when the update is acceptable.
 */
export function checkGaSessionUpdate(s: Record<string, unknown>): Err {
  const p = (k: string) => `session.${k}`;
  // Beta-only or unknown fields first: live names the field that is wrong (§9.2).
  for (const k of Object.keys(s)) if (!GA_SESSION_KEYS.has(k)) return unknownParam(p(k));
  if (s.type === undefined) return missing("session.type");
  if (s.type === "transcription")
    return invalidValue("session.type", "Passing a transcription session update event to a realtime session is not allowed.");
  if (s.type !== "realtime") return badEnum("session.type", s.type, ["realtime", "transcription"]);
  const common = checkCommon(s, p);
  if (common) return common;
  const mod = checkModalities(s.output_modalities, p("output_modalities"), "ga");
  if (mod) return mod;
  const mt = checkMaxTokens(s.max_output_tokens, p("max_output_tokens"));
  if (mt) return mt;
  if (s.parallel_tool_calls !== undefined && typeof s.parallel_tool_calls !== "boolean") return invalidType(p("parallel_tool_calls"), "a boolean", s.parallel_tool_calls);
  if (s.truncation !== undefined && !["auto", "disabled"].includes(s.truncation as string) && !isObject(s.truncation))
    return badEnum(p("truncation"), s.truncation, ["auto", "disabled"]);
  if (s.audio !== undefined) {
    if (!isObject(s.audio)) return invalidType(p("audio"), "an object", s.audio);
    for (const k of Object.keys(s.audio)) if (k !== "input" && k !== "output") return unknownParam(`session.audio.${k}`);
    const { input, output } = s.audio;
    if (input !== undefined) {
      if (!isObject(input)) return invalidType("session.audio.input", "an object", input);
      for (const k of Object.keys(input)) if (!GA_AUDIO_INPUT_KEYS.has(k)) return unknownParam(`session.audio.input.${k}`);
      if (input.format !== undefined) { const e = checkGaFormat(input.format, "session.audio.input.format"); if (e) return e; }
      if (input.turn_detection !== undefined) { const e = checkTurnDetection(input.turn_detection, "session.audio.input.turn_detection", "ga"); if (e) return e; }
      if (input.transcription !== undefined && input.transcription !== null && !isObject(input.transcription))
        return invalidType("session.audio.input.transcription", "an object or null", input.transcription);
      if (input.noise_reduction !== undefined && input.noise_reduction !== null) {
        const nr = input.noise_reduction;
        if (!isObject(nr) || !["near_field", "far_field"].includes(nr.type as string))
          return badEnum("session.audio.input.noise_reduction.type", isObject(nr) ? nr.type : nr, ["near_field", "far_field"]);
      }
    }
    if (output !== undefined) {
      if (!isObject(output)) return invalidType("session.audio.output", "an object", output);
      for (const k of Object.keys(output)) if (!GA_AUDIO_OUTPUT_KEYS.has(k)) return unknownParam(`session.audio.output.${k}`);
      if (output.format !== undefined) { const e = checkGaFormat(output.format, "session.audio.output.format"); if (e) return e; }
      const v = checkVoice(output.voice, "session.audio.output.voice", true); if (v) return v;
      const sp = checkSpeed(output.speed, "session.audio.output.speed"); if (sp) return sp;
    }
  }
  return undefined;
}

/** Validate a beta `session.update.session` (§3.4 beta column). */
export function checkBetaSessionUpdate(s: Record<string, unknown>): Err {
  const p = (k: string) => `session.${k}`;
  for (const k of Object.keys(s)) if (!BETA_SESSION_KEYS.has(k)) return unknownParam(p(k));
  const common = checkCommon(s, p);
  if (common) return common;
  const fmts = ["pcm16", "g711_ulaw", "g711_alaw"];
  for (const k of ["input_audio_format", "output_audio_format"]) if (s[k] !== undefined && !fmts.includes(s[k] as string)) return badEnum(p(k), s[k], fmts);
  const mod = checkModalities(s.modalities, p("modalities"), "beta");
  if (mod) return mod;
  if (s.turn_detection !== undefined) { const e = checkTurnDetection(s.turn_detection, p("turn_detection"), "beta"); if (e) return e; }
  const mt = checkMaxTokens(s.max_response_output_tokens, p("max_response_output_tokens"));
  if (mt) return mt;
  if (s.temperature !== undefined && !(typeof s.temperature === "number" && s.temperature >= 0.6 && s.temperature <= 1.2))
    return invalidValue(p("temperature"), "Invalid 'session.temperature': expected a number between 0.6 and 1.2.");
  const v = checkVoice(s.voice, p("voice"), false); if (v) return v;
  const sp = checkSpeed(s.speed, p("speed")); if (sp) return sp;
  if (s.input_audio_transcription !== undefined && s.input_audio_transcription !== null && !isObject(s.input_audio_transcription))
    return invalidType(p("input_audio_transcription"), "an object or null", s.input_audio_transcription);
  return undefined;
}

// --- conversation.item.create ---------------------------------------------------------------

const USER_CONTENT: Record<Dialect, string[]> = { ga: ["input_text", "input_audio", "input_image"], beta: ["input_text", "input_audio", "item_reference"] };
const ASSISTANT_CONTENT: Record<Dialect, string[]> = { ga: ["output_text"], beta: ["text"] };

/** Shape check of a client-created item (§7.3). Existence checks (call ids, previous ids) are the session's. */
export function checkItem(item: Record<string, unknown>, dialect: Dialect): Err {
  const types = ["message", "function_call", "function_call_output"];
  if (item.type === undefined) return missing("item.type");
  if (!types.includes(item.type as string)) return badEnum("item.type", item.type, types);
  if (item.id !== undefined && (typeof item.id !== "string" || item.id.length === 0 || item.id.length > 64))
    return invalidValue("item.id", "Invalid 'item.id': expected a string of 1 to 64 characters.");
  if (item.type === "message") {
    const roles = ["user", "assistant", "system"];
    if (item.role === undefined) return missing("item.role");
    if (!roles.includes(item.role as string)) return badEnum("item.role", item.role, roles);
    if (item.content === undefined) return missing("item.content");
    if (!Array.isArray(item.content)) return invalidType("item.content", "an array", item.content);
    const allowed = item.role === "assistant" ? ASSISTANT_CONTENT[dialect] : item.role === "system" ? ["input_text"] : USER_CONTENT[dialect];
    for (const [i, c] of item.content.entries()) {
      const at = `item.content[${i}]`;
      if (!isObject(c)) return invalidType(at, "an object", c);
      if (!allowed.includes(c.type as string)) return badEnum(`${at}.type`, c.type, allowed);
      if ((c.type === "input_text" || c.type === "output_text" || c.type === "text") && typeof c.text !== "string") return missing(`${at}.text`);
      if (c.type === "input_audio" && typeof c.audio !== "string") return missing(`${at}.audio`);
      if (c.type === "input_image" && typeof c.image_url !== "string") return missing(`${at}.image_url`);
    }
  } else if (item.type === "function_call") {
    for (const k of ["call_id", "name", "arguments"]) if (typeof item[k] !== "string") return item[k] === undefined ? missing(`item.${k}`) : invalidType(`item.${k}`, "a string", item[k]);
  } else {
    for (const k of ["call_id", "output"]) if (typeof item[k] !== "string") return item[k] === undefined ? missing(`item.${k}`) : invalidType(`item.${k}`, "a string", item[k]);
  }
  return undefined;
}

// --- response.create ------------------------------------------------------------------------

const GA_RESPONSE_KEYS = new Set([
  "conversation", "input", "instructions", "tools", "tool_choice", "output_modalities", "audio", "max_output_tokens",
  "prompt", "reasoning", "parallel_tool_calls", "metadata",
]);
const BETA_RESPONSE_KEYS = new Set([
  "conversation", "input", "instructions", "tools", "tool_choice", "modalities", "voice", "output_audio_format",
  "temperature", "max_response_output_tokens", "metadata",
]);

/** Check `response.create.response` options (§7.2) including metadata limits (§10). */
export function checkResponseOptions(r: Record<string, unknown>, dialect: Dialect): Err {
  const keys = dialect === "ga" ? GA_RESPONSE_KEYS : BETA_RESPONSE_KEYS;
  for (const k of Object.keys(r)) if (!keys.has(k)) return unknownParam(`response.${k}`);
  if (r.conversation !== undefined && r.conversation !== "auto" && r.conversation !== "none") return badEnum("response.conversation", r.conversation, ["auto", "none"]);
  if (r.input !== undefined && !Array.isArray(r.input)) return invalidType("response.input", "an array", r.input);
  const common = checkCommon(r, (k) => `response.${k}`);
  if (common) return common;
  if (dialect === "ga") {
    const m = checkModalities(r.output_modalities, "response.output_modalities", "ga"); if (m) return m;
    const t = checkMaxTokens(r.max_output_tokens, "response.max_output_tokens"); if (t) return t;
    if (r.audio !== undefined) {
      if (!isObject(r.audio)) return invalidType("response.audio", "an object", r.audio);
      for (const k of Object.keys(r.audio)) if (k !== "output") return unknownParam(`response.audio.${k}`);
      const out = r.audio.output;
      if (out !== undefined) {
        if (!isObject(out)) return invalidType("response.audio.output", "an object", out);
        for (const k of Object.keys(out)) if (k !== "format" && k !== "voice") return unknownParam(`response.audio.output.${k}`);
        if (out.format !== undefined) { const e = checkGaFormat(out.format, "response.audio.output.format"); if (e) return e; }
        const v = checkVoice(out.voice, "response.audio.output.voice", true); if (v) return v;
      }
    }
  } else {
    const m = checkModalities(r.modalities, "response.modalities", "beta"); if (m) return m;
    const t = checkMaxTokens(r.max_response_output_tokens, "response.max_response_output_tokens"); if (t) return t;
    const fmts = ["pcm16", "g711_ulaw", "g711_alaw"];
    if (r.output_audio_format !== undefined && !fmts.includes(r.output_audio_format as string)) return badEnum("response.output_audio_format", r.output_audio_format, fmts);
  }
  if (r.metadata !== undefined && r.metadata !== null) {
    if (!isObject(r.metadata)) return invalidType("response.metadata", "an object", r.metadata);
    const entries = Object.entries(r.metadata);
    if (entries.length > 16) return invalidValue("response.metadata", "Invalid 'response.metadata': at most 16 key-value pairs.");
    for (const [k, v] of entries) {
      if (k.length > 64) return invalidValue("response.metadata", `Invalid 'response.metadata': key '${k.slice(0, 20)}…' longer than 64 characters.`);
      if (typeof v !== "string") return invalidType(`response.metadata.${k}`, "a string", v);
      if (v.length > 512) return invalidValue(`response.metadata.${k}`, `Invalid 'response.metadata.${k}': value longer than 512 characters.`);
    }
  }
  return undefined;
}

// --- server events, for clients of the stub (bridges, suites) --------------------------------

/** Is `type` a server event name of `dialect` (§3.2, §7.4)? A GA name in a beta session (or vice versa) is dialect mixing. */
export function isServerEventType(type: string, dialect: Dialect): boolean {
  return ((dialect === "ga" ? GA_SERVER_EVENT_TYPES : BETA_SERVER_EVENT_TYPES) as readonly string[]).includes(type);
}

