// The control API's requests as data: what each `/_bwemu/` route accepts, validated with an error
// that names the field (pure; server.ts does the I/O). Errors carry a stable `code` a script can test.

import type { CallerAudio } from "../../emulator/call/types.js";
import { isDialString } from "../../emulator/call/keypad.js";
import { CallerAudioError, validateCallerAudio } from "../../emulator/media/caller-script.js";
import type { JsonProblem } from "./json.js";

export type ControlErrorCode =
  | "bad-json"
  | "invalid-request"
  | "unsupported-media-type"
  | "body-too-large"
  | "not-found"
  | "unknown-call"
  | "call-ended"
  | "method-not-allowed"
  | "host-not-allowed"
  | "no-audio"
  | "too-many-calls";

export interface ControlError {
  status: number;
  code: ControlErrorCode;
  message: string;
  /** The request field at fault (`caller.script[0].wav`), when one is. */
  field?: string;
  /** Where in the body a JSON syntax error is (1-based). */
  line?: number;
  col?: number;
}

export const controlError = (status: number, code: ControlErrorCode, message: string, extra: Partial<ControlError> = {}): ControlError => ({ status, code, message, ...extra });

export const badJson = (p: JsonProblem): ControlError => controlError(400, "bad-json", `malformed JSON at line ${p.line}, column ${p.col}: ${p.message}`, { line: p.line, col: p.col });
export const unknownCall = (id: string): ControlError => controlError(404, "unknown-call", `no call ${JSON.stringify(clip(id))} (it never existed here, or was dropped: serve keeps the newest calls only)`);
export const callEnded = (id: string): ControlError => controlError(409, "call-ended", `call ${id} has ended`);

function clip(s: string, max = 80): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

type Check<T> = { ok: true; value: T } | { ok: false; error: ControlError };
const invalid = (field: string, message: string): { ok: false; error: ControlError } => ({ ok: false, error: controlError(400, "invalid-request", `${field}: ${message}`, { field }) });
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function unknownKeys(body: Record<string, unknown>, allowed: readonly string[]): { ok: false; error: ControlError } | undefined {
  for (const k of Object.keys(body)) if (!allowed.includes(k)) return invalid(k, `unknown field; expected one of ${allowed.join(", ")}`);
  return undefined;
}

function intIn(body: Record<string, unknown>, key: string, min: number, max: number): { ok: false; error: ControlError } | number | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) return invalid(key, `expected a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return v;
}

const dialable = (s: string): boolean => s.length >= 1 && s.length <= 64 && isDialString(s);
const NUMBERISH = /^[+\w.@:;=-]{1,64}$/;
/** Bundled caller speech, by short name (fixtures/audio). */
export const FIXTURE_SPEECH = ["hello", "order", "cancel", "long"] as const;
export type FixtureSpeech = (typeof FIXTURE_SPEECH)[number];

export interface StartCallRequest {
  appUrl: string;
  /** A bundled utterance by name, resolved by the server. */
  fixture?: FixtureSpeech;
  caller?: CallerAudio;
  dtmf?: string;
  from?: string;
  to?: string;
  maxDurationMs?: number;
  hangupAfterCallerMs?: number;
  method?: "GET" | "POST";
  label?: string;
}

const START_KEYS = ["appUrl", "audio", "caller", "dtmf", "from", "to", "maxDurationMs", "hangupAfterCallerMs", "method", "label"] as const;

/** POST /_bwemu/calls: start an inbound call to the app. */
export function checkStartCall(body: unknown): Check<StartCallRequest> {
  if (!isObj(body)) return invalid("(body)", "expected a JSON object like {\"appUrl\": \"http://127.0.0.1:3000/voice\"}");
  const extra = unknownKeys(body, START_KEYS);
  if (extra) return extra;
  const appUrl = body.appUrl;
  if (typeof appUrl !== "string") return invalid("appUrl", "required: the app's initiate URL (http or https)");
  let u: URL;
  try {
    u = new URL(appUrl);
  } catch {
    return invalid("appUrl", `not a URL: ${JSON.stringify(clip(appUrl))}`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return invalid("appUrl", `expected an http(s) URL, got ${u.protocol}`);
  const out: StartCallRequest = { appUrl: u.href };
  if (body.audio !== undefined && body.caller !== undefined) return invalid("audio", "give either audio (a bundled utterance) or caller (your own WAV or script), not both");
  if (body.audio !== undefined) {
    if (typeof body.audio !== "string" || !(FIXTURE_SPEECH as readonly string[]).includes(body.audio)) return invalid("audio", `expected one of ${FIXTURE_SPEECH.join(", ")}`);
    out.fixture = body.audio as FixtureSpeech;
  }
  if (body.caller !== undefined) {
    try {
      out.caller = validateCallerAudio(body.caller, "caller");
    } catch (e) {
      if (e instanceof CallerAudioError) return invalid(e.where, e.reason);
      throw e;
    }
  }
  if (body.dtmf !== undefined) {
    if (typeof body.dtmf !== "string" || !dialable(body.dtmf)) return invalid("dtmf", "expected 1–64 of 0-9 * # A-D (w = 0.5 s pause)");
    out.dtmf = body.dtmf;
  }
  for (const k of ["from", "to"] as const) {
    const v = body[k];
    if (v === undefined) continue;
    if (typeof v !== "string" || !NUMBERISH.test(v)) return invalid(k, "expected a number like +15557770100 (at most 64 characters)");
    out[k] = v;
  }
  const max = intIn(body, "maxDurationMs", 1000, 4 * 3600_000);
  if (typeof max === "object") return max;
  if (max !== undefined) out.maxDurationMs = max;
  const after = intIn(body, "hangupAfterCallerMs", 0, 3600_000);
  if (typeof after === "object") return after;
  if (after !== undefined) out.hangupAfterCallerMs = after;
  if (body.method !== undefined) {
    if (body.method !== "GET" && body.method !== "POST") return invalid("method", "expected GET or POST");
    out.method = body.method;
  }
  if (body.label !== undefined) {
    if (typeof body.label !== "string" || body.label.length > 100) return invalid("label", "expected a string of at most 100 characters");
    out.label = body.label;
  }
  return { ok: true, value: out };
}

/** POST /_bwemu/calls/:id/dtmf */
export function checkDtmf(body: unknown): Check<{ digits: string; gapMs?: number }> {
  if (!isObj(body)) return invalid("(body)", 'expected a JSON object like {"digits": "1234#"}');
  const extra = unknownKeys(body, ["digits", "gapMs"]);
  if (extra) return extra;
  if (typeof body.digits !== "string" || !dialable(body.digits)) return invalid("digits", "required: 1–64 of 0-9 * # A-D (w = 0.5 s pause)");
  const gap = intIn(body, "gapMs", 50, 5000);
  if (typeof gap === "object") return gap;
  return { ok: true, value: gap === undefined ? { digits: body.digits } : { digits: body.digits, gapMs: gap } };
}

/** Faults on a live call: the emulator's own fault injection, named for a person clicking a button (`button`: offered on the live page). */
export const FAULTS = {
  "drop-stream": { description: "the carrier drops the media stream's TCP connection (no close frame; the app sees 1006)", button: "Drop the stream" },
  "reject-next-stream": { description: "the next <StartStream> is rejected (cause: error, or connection-error with {cause})", button: "Reject the next stream" },
  "slow-next-webhook": { description: "the carrier holds its next webhook back {ms} milliseconds (default 5000)", button: "Slow the next webhook (5 s)" },
  "malformed-frame": { description: "the carrier sends a frame that is not JSON", button: "Send a malformed frame" },
  "unknown-event": { description: "the carrier sends a frame with an eventType the app does not know" },
  "binary-frame": { description: "the carrier sends a binary frame" },
  "burst-media": { description: "the carrier sends {ms} milliseconds of media at once (default 1000)" },
  "carrier-end": { description: "the carrier ends the call with {cause} (default: error)" },
} as const satisfies Record<string, { description: string; button?: string }>;
export type FaultKind = keyof typeof FAULTS;

export interface FaultRequest {
  kind: FaultKind;
  ms?: number;
  cause?: string;
}

/** POST /_bwemu/calls/:id/faults */
export function checkFault(body: unknown): Check<FaultRequest> {
  if (!isObj(body)) return invalid("(body)", 'expected a JSON object like {"kind": "drop-stream"}');
  const extra = unknownKeys(body, ["kind", "ms", "cause"]);
  if (extra) return extra;
  if (typeof body.kind !== "string" || !Object.hasOwn(FAULTS, body.kind)) return invalid("kind", `expected one of ${Object.keys(FAULTS).join(", ")}`);
  const ms = intIn(body, "ms", 1, 120_000);
  if (typeof ms === "object") return ms;
  const out: FaultRequest = { kind: body.kind as FaultKind };
  if (ms !== undefined) out.ms = ms;
  if (body.cause !== undefined) {
    const causes = body.kind === "reject-next-stream" ? ["error", "connection-error"] : ["error", "account-limit", "node-capacity-exceeded", "unknown", "application-error"];
    if (typeof body.cause !== "string" || !causes.includes(body.cause)) return invalid("cause", `expected one of ${causes.join(", ")}`);
    out.cause = body.cause;
  }
  return { ok: true, value: out };
}

/** POST /_bwemu/calls/:id/audio: more caller speech into a live call. */
export function checkAudio(body: unknown): Check<{ fixture?: FixtureSpeech; wav?: string }> {
  if (!isObj(body)) return invalid("(body)", 'expected a JSON object like {"audio": "hello"} or {"wav": "/path/to/file.wav"}');
  const extra = unknownKeys(body, ["audio", "wav"]);
  if (extra) return extra;
  if ((body.audio === undefined) === (body.wav === undefined)) return invalid("audio", "give exactly one of audio (a bundled utterance) or wav (a WAV path on this machine)");
  if (body.audio !== undefined) {
    if (typeof body.audio !== "string" || !(FIXTURE_SPEECH as readonly string[]).includes(body.audio)) return invalid("audio", `expected one of ${FIXTURE_SPEECH.join(", ")}`);
    return { ok: true, value: { fixture: body.audio as FixtureSpeech } };
  }
  if (typeof body.wav !== "string" || body.wav.trim() === "") return invalid("wav", "expected a non-empty path to a WAV file");
  return { ok: true, value: { wav: body.wav } };
}
