// The stub's reply script (issue 4 "Replies come from a script"; spec §5.3, §8.4, §8.5, §12.3.3).
// A small JSON or YAML file: per turn the reply audio (a WAV fixture, `{ echo: true }` = the caller's own
// audio of that turn re-encoded, or `{ synth: ms }` = a built-in speech-like signal), its transcript, an
// optional function call, the think time before the first delta, the delta size and the pacing.
// Loading validates everything and reports located errors (`turns[2].pacing: …`).

import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import { isObject } from "../protocol/realtime.js";
import { readWavFile } from "../media/wav.js";
import { speechLikeSignal } from "./audio.js";

/** `burst`: all deltas at once after the first (default); `realtime` = { realtime: 1 }; factor 2 = twice real time. */
export type Pacing = "burst" | "realtime" | { realtime: number };
export type ResolvedPacing = "burst" | { realtime: number };

export type ReplyAudio =
  /** Path to a WAV file (relative to the script file). */
  | string
  /** The caller's own audio of the turn, re-encoded in the output format. */
  | { echo: true }
  /** A deterministic speech-like signal of this length (no file needed). */
  | { synth: number }
  /** No audio content (text-only or function-call-only reply). */
  | { none: true };

export interface ScriptFunctionCall {
  name: string;
  /** JSON text, or an object serialised with JSON.stringify. */
  arguments: string | Record<string, unknown>;
  /** Fixed `call_id`; default: drawn from the session's seeded ids. */
  callId?: string;
}

export interface StubScriptTurn {
  audio?: ReplyAudio;
  transcript?: string;
  functionCall?: ScriptFunctionCall;
  /** Think time between `response.created` and the first output (ms). */
  responseDelayMs?: number;
  /** Audio per `response.output_audio.delta` (ms, default 100). */
  deltaMs?: number;
  pacing?: Pacing;
  /** What the caller "said", for input-transcription events (§7.4). */
  callerTranscript?: string;
}

export interface StubScript {
  /** Reply to a response created before any caller audio (the greeting, §8.4). Default: turns[0]. */
  greeting?: StubScriptTurn;
  turns: StubScriptTurn[];
  /** After the last turn: start again (`cycle`) or keep using the last one (`repeat-last`, default). */
  after?: "cycle" | "repeat-last";
  /** Defaults applied to every turn that does not set its own. */
  defaults?: Pick<StubScriptTurn, "responseDelayMs" | "deltaMs" | "pacing">;
  /** `instructions` reported in `session.created`. */
  instructions?: string;
}

/** A turn with every default resolved and its audio decoded to PCM (mono) once. */
export interface ResolvedTurn {
  audio: { kind: "pcm"; pcm: Int16Array; rate: number; source: string } | { kind: "echo" } | { kind: "none" };
  transcript: string;
  functionCall?: { name: string; arguments: string; callId?: string };
  responseDelayMs: number;
  deltaMs: number;
  pacing: ResolvedPacing;
  callerTranscript: string;
}

export interface LoadedScript {
  greeting?: ResolvedTurn;
  turns: ResolvedTurn[];
  after: "cycle" | "repeat-last";
  instructions?: string;
  /** Where it came from (file path or "built-in"). */
  source: string;
}

export class ScriptError extends Error {
  override name = "ScriptError";
}

/**
 * The built-in script: `bwemu stub` works with no configuration. The first reply is the recorded
 * fixture `fixtures/audio/reply.24k-pcm16.wav` when present (real speech), else synthetic audio.
 */
export const DEFAULT_SCRIPT: StubScript = {
  greeting: { audio: { synth: 1800 }, transcript: "Hello! You are talking to the bwemu Realtime stub." },
  turns: [
    { audio: { synth: 1500 }, transcript: "Sure, let me check on that." },
    { audio: { synth: 2000 }, transcript: "Thanks. Here is another scripted answer from the stub." },
    { audio: { synth: 1200 }, transcript: "Understood. Anything else?" },
  ],
  after: "cycle",
  defaults: { responseDelayMs: 0, deltaMs: 100, pacing: "burst" },
};

const TURN_KEYS = new Set(["audio", "transcript", "functionCall", "responseDelayMs", "deltaMs", "pacing", "callerTranscript"]);

function checkTurn(t: unknown, at: string): StubScriptTurn {
  if (!isObject(t)) throw new ScriptError(`${at}: expected an object`);
  for (const k of Object.keys(t)) if (!TURN_KEYS.has(k)) throw new ScriptError(`${at}.${k}: unknown field (allowed: ${[...TURN_KEYS].join(", ")})`);
  const a = t.audio;
  if (a !== undefined && typeof a !== "string") {
    if (!isObject(a)) throw new ScriptError(`${at}.audio: expected a WAV path, { echo: true }, { synth: ms } or { none: true }`);
    const ok = a.echo === true || a.none === true || (typeof a.synth === "number" && a.synth > 0 && a.synth <= 600_000);
    if (!ok || Object.keys(a).length !== 1) throw new ScriptError(`${at}.audio: expected a WAV path, { echo: true }, { synth: ms } (1..600000) or { none: true }`);
  }
  if (t.transcript !== undefined && typeof t.transcript !== "string") throw new ScriptError(`${at}.transcript: expected a string`);
  if (t.callerTranscript !== undefined && typeof t.callerTranscript !== "string") throw new ScriptError(`${at}.callerTranscript: expected a string`);
  checkTiming(t, at);
  if (t.functionCall !== undefined) {
    const f = t.functionCall;
    if (!isObject(f) || typeof f.name !== "string" || !f.name) throw new ScriptError(`${at}.functionCall: expected { name, arguments }`);
    if (typeof f.arguments === "string") {
      try {
        JSON.parse(f.arguments);
      } catch {
        throw new ScriptError(`${at}.functionCall.arguments: not valid JSON text`);
      }
    } else if (!isObject(f.arguments)) throw new ScriptError(`${at}.functionCall.arguments: expected JSON text or an object`);
    if (f.callId !== undefined && typeof f.callId !== "string") throw new ScriptError(`${at}.functionCall.callId: expected a string`);
  }
  return t as StubScriptTurn;
}

function checkTiming(t: Record<string, unknown>, at: string): void {
  if (t.responseDelayMs !== undefined && !(typeof t.responseDelayMs === "number" && t.responseDelayMs >= 0 && t.responseDelayMs <= 600_000))
    throw new ScriptError(`${at}.responseDelayMs: expected a number of ms in 0..600000`);
  if (t.deltaMs !== undefined && !(typeof t.deltaMs === "number" && t.deltaMs >= 1 && t.deltaMs <= 5000))
    throw new ScriptError(`${at}.deltaMs: expected a number of ms in 1..5000`);
  const p = t.pacing;
  if (p !== undefined && p !== "burst" && p !== "realtime" && !(isObject(p) && typeof p.realtime === "number" && p.realtime > 0 && Object.keys(p).length === 1))
    throw new ScriptError(`${at}.pacing: expected "burst", "realtime" or { realtime: factor > 0 }`);
}

/** Validate a parsed script object; throws ScriptError with the path of the first problem. */
export function validateScript(raw: unknown, where = "script"): StubScript {
  if (!isObject(raw)) throw new ScriptError(`${where}: expected an object with "turns"`);
  for (const k of Object.keys(raw))
    if (!["greeting", "turns", "after", "defaults", "instructions"].includes(k)) throw new ScriptError(`${where}.${k}: unknown field`);
  if (!Array.isArray(raw.turns) || raw.turns.length === 0) throw new ScriptError(`${where}.turns: expected a non-empty array`);
  raw.turns.forEach((t, i) => checkTurn(t, `${where}.turns[${i}]`));
  if (raw.greeting !== undefined) checkTurn(raw.greeting, `${where}.greeting`);
  if (raw.after !== undefined && raw.after !== "cycle" && raw.after !== "repeat-last") throw new ScriptError(`${where}.after: expected "cycle" or "repeat-last"`);
  if (raw.defaults !== undefined) {
    if (!isObject(raw.defaults)) throw new ScriptError(`${where}.defaults: expected an object`);
    for (const k of Object.keys(raw.defaults))
      if (!["responseDelayMs", "deltaMs", "pacing"].includes(k)) throw new ScriptError(`${where}.defaults.${k}: unknown field`);
    checkTiming(raw.defaults, `${where}.defaults`);
  }
  if (raw.instructions !== undefined && typeof raw.instructions !== "string") throw new ScriptError(`${where}.instructions: expected a string`);
  return raw as unknown as StubScript;
}

async function resolveTurn(t: StubScriptTurn, s: StubScript, baseDir: string, at: string): Promise<ResolvedTurn> {
  const d = s.defaults ?? {};
  let audio: ResolvedTurn["audio"];
  const a = t.audio ?? { synth: 1500 };
  if (typeof a === "string") {
    const file = path.resolve(baseDir, a);
    try {
      const wav = await readWavFile(file);
      audio = { kind: "pcm", pcm: wav.pcm, rate: wav.sampleRate, source: file };
    } catch (e) {
      throw new ScriptError(`${at}.audio: cannot read ${file}: ${(e as Error).message}`);
    }
  } else if ("echo" in a) audio = { kind: "echo" };
  else if ("none" in a) audio = { kind: "none" };
  else audio = { kind: "pcm", pcm: speechLikeSignal(a.synth, 24000, hash(t.transcript ?? at)), rate: 24000, source: `synth:${a.synth}` };
  const pacing = t.pacing ?? d.pacing ?? "burst";
  return {
    audio,
    transcript: t.transcript ?? "",
    functionCall: t.functionCall && {
      name: t.functionCall.name,
      arguments: typeof t.functionCall.arguments === "string" ? t.functionCall.arguments : JSON.stringify(t.functionCall.arguments),
      callId: t.functionCall.callId,
    },
    responseDelayMs: t.responseDelayMs ?? d.responseDelayMs ?? 0,
    deltaMs: t.deltaMs ?? d.deltaMs ?? 100,
    pacing: pacing === "realtime" ? { realtime: 1 } : pacing,
    callerTranscript: t.callerTranscript ?? "(caller speech)",
  };
}

function hash(s: string): number {
  let h = 7;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) % 997;
  return h;
}

/** Resolve a script object (validated) into decoded, defaulted turns. `baseDir` anchors relative WAV paths. */
export async function resolveScript(s: StubScript, baseDir = process.cwd(), source = "inline"): Promise<LoadedScript> {
  validateScript(s);
  return {
    greeting: s.greeting ? await resolveTurn(s.greeting, s, baseDir, "script.greeting") : undefined,
    turns: await Promise.all(s.turns.map((t, i) => resolveTurn(t, s, baseDir, `script.turns[${i}]`))),
    after: s.after ?? "repeat-last",
    instructions: s.instructions,
    source,
  };
}

/** Load a JSON or YAML script file (YAML is a superset, so one parser reads both). */
export async function loadScriptFile(file: string): Promise<LoadedScript> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new ScriptError(`${file}: cannot read: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = YAML.parse(text, { prettyErrors: true });
  } catch (e) {
    throw new ScriptError(`${file}: not valid JSON/YAML: ${(e as Error).message}`);
  }
  try {
    validateScript(raw, file);
  } catch (e) {
    throw e instanceof ScriptError ? e : new ScriptError(`${file}: ${(e as Error).message}`);
  }
  return resolveScript(raw as StubScript, path.dirname(path.resolve(file)), file);
}

/** `script` option of the stub: a path, an object, or nothing (built-in). */
export async function loadScript(script: StubScript | string | undefined): Promise<LoadedScript> {
  if (script === undefined) {
    const reply = fileURLToPath(new URL("../../fixtures/audio/reply.24k-pcm16.wav", import.meta.url));
    const turns = DEFAULT_SCRIPT.turns.map((t, i) => (i === 0 && existsSync(reply) ? { ...t, audio: reply } : t));
    return resolveScript({ ...DEFAULT_SCRIPT, turns }, process.cwd(), "built-in");
  }
  if (typeof script === "string") return loadScriptFile(script);
  return resolveScript(script, process.cwd(), "inline");
}

/** Which scripted turn answers the n-th response (0-based, greeting excluded). */
export function pickTurn(s: LoadedScript, n: number): ResolvedTurn {
  if (n < s.turns.length) return s.turns[n];
  return s.after === "cycle" ? s.turns[n % s.turns.length] : s.turns[s.turns.length - 1];
}
