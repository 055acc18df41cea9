// Session configuration state (spec §4): the defaults of `session.created` in each dialect (§4.4,
// §4.6), applying an accepted `session.update` (§4.1: only present fields change, nested `audio`
// objects deep-merge, `turn_detection` fills omitted fields from defaults), and reading the effective
// values the stub acts on. The state *is* the wire object of the connection's dialect, so
// `session.updated` is always the full effective configuration in the right shape.

import {
  audioFormatFromAny, GA_FORMAT, isObject,
  type AudioFormatName, type BetaSession, type Dialect, type GaSession, type TurnDetection,
} from "../protocol/realtime.js";

export const DEFAULT_INSTRUCTIONS =
  "Your knowledge cutoff is 2023-10. You are a helpful, witty, and friendly AI. (bwemu Realtime stub: replies are scripted.)";

export interface ConfigDefaults {
  id: string;
  model: string;
  expiresAt: number;
  instructions?: string;
  /** silence_duration_ms of the default and of bare `{type:"server_vad"}` updates (200 live, 500 documented). */
  silenceDurationMs: number;
}

function serverVad(silence: number): TurnDetection {
  return { type: "server_vad", threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: silence, idle_timeout_ms: null, create_response: true, interrupt_response: true };
}

/** `session.created` payload, GA (§4.4). */
export function gaDefaults(d: ConfigDefaults): GaSession {
  return {
    type: "realtime",
    object: "realtime.session",
    id: d.id,
    model: d.model,
    output_modalities: ["audio"],
    instructions: d.instructions ?? DEFAULT_INSTRUCTIONS,
    tools: [],
    tool_choice: "auto",
    max_output_tokens: "inf",
    tracing: null,
    truncation: "auto",
    prompt: null,
    expires_at: d.expiresAt,
    audio: {
      input: { format: { ...GA_FORMAT.pcm16 }, transcription: null, noise_reduction: null, turn_detection: serverVad(d.silenceDurationMs) },
      output: { format: { ...GA_FORMAT.pcm16 }, voice: "alloy", speed: 1.0 },
    },
    include: null,
  };
}

/** `session.created` payload, beta (§4.6). */
export function betaDefaults(d: ConfigDefaults): BetaSession {
  return {
    id: d.id,
    object: "realtime.session",
    model: d.model,
    expires_at: d.expiresAt,
    modalities: ["audio", "text"],
    instructions: d.instructions ?? DEFAULT_INSTRUCTIONS,
    voice: "alloy",
    turn_detection: { type: "server_vad", threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: d.silenceDurationMs, create_response: true, interrupt_response: true },
    input_audio_format: "pcm16",
    output_audio_format: "pcm16",
    input_audio_transcription: null,
    tool_choice: "auto",
    temperature: 0.8,
    max_response_output_tokens: "inf",
    tools: [],
  };
}

/**
 * Turn detection after an update: same type → merge onto the current values; new type (or VAD was off)
 * → the type's defaults, then the given fields (§4.1 "fill omitted sub-fields from the session defaults").
 */
function mergeTurnDetection(cur: unknown, upd: Record<string, unknown>, silence: number, dialect: Dialect): Record<string, unknown> {
  const base: Record<string, unknown> =
    isObject(cur) && cur.type === upd.type
      ? { ...cur }
      : upd.type === "semantic_vad"
        ? { type: "semantic_vad", eagerness: "auto", create_response: true, interrupt_response: true }
        : { ...serverVad(silence) };
  if (dialect === "beta") delete base.idle_timeout_ms;
  return { ...base, ...upd };
}

/** The session after applying an already validated update. Pure: returns a new object. */
export function applyUpdate<T extends GaSession | BetaSession>(cur: T, upd: Record<string, unknown>, dialect: Dialect, silence: number): T {
  const next = structuredClone(cur) as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(upd)) {
    if (k === "model") continue; // not changeable by session.update (§4.1); the URL model stays
    if (dialect === "ga" && k === "audio" && isObject(v)) {
      const audio = next.audio as Record<string, Record<string, unknown>>;
      for (const side of ["input", "output"] as const) {
        const sv = v[side];
        if (!isObject(sv)) continue;
        for (const [f, fv] of Object.entries(sv)) {
          if (f === "turn_detection") audio[side][f] = fv === null ? null : mergeTurnDetection(audio[side][f], fv as Record<string, unknown>, silence, dialect);
          else if (f === "format") audio[side][f] = { ...GA_FORMAT[audioFormatFromAny(fv)!] };
          else audio[side][f] = structuredClone(fv);
        }
      }
    } else if (dialect === "beta" && k === "turn_detection") {
      next[k] = v === null ? null : mergeTurnDetection(next[k], v as Record<string, unknown>, silence, dialect);
    } else next[k] = structuredClone(v);
  }
  return next as unknown as T;
}

/** The effective values the stub acts on, read from either dialect's session object. */
export interface Effective {
  inputFormat: AudioFormatName;
  outputFormat: AudioFormatName;
  turnDetection: TurnDetection | null;
  modalities: ("audio" | "text")[];
  voice: string | { id: string };
  transcription: boolean;
  instructions: string;
}

export function effective(s: GaSession | BetaSession, dialect: Dialect): Effective {
  if (dialect === "ga") {
    const g = s as GaSession;
    return {
      inputFormat: audioFormatFromAny(g.audio.input.format)!,
      outputFormat: audioFormatFromAny(g.audio.output.format)!,
      turnDetection: g.audio.input.turn_detection,
      modalities: g.output_modalities,
      voice: g.audio.output.voice,
      transcription: g.audio.input.transcription !== null,
      instructions: g.instructions,
    };
  }
  const b = s as BetaSession;
  return {
    inputFormat: audioFormatFromAny(b.input_audio_format)!,
    outputFormat: audioFormatFromAny(b.output_audio_format)!,
    turnDetection: b.turn_detection as TurnDetection | null,
    modalities: b.modalities,
    voice: b.voice,
    transcription: b.input_audio_transcription !== null,
    instructions: b.instructions,
  };
}

/** Which formats the update declares, as canonical names (for the session record). */
export function declaredFormats(upd: Record<string, unknown>, dialect: Dialect): { input?: AudioFormatName; output?: AudioFormatName } {
  if (dialect === "beta") return { input: audioFormatFromAny(upd.input_audio_format), output: audioFormatFromAny(upd.output_audio_format) };
  const a = isObject(upd.audio) ? upd.audio : {};
  return {
    input: isObject(a.input) ? audioFormatFromAny(a.input.format) : undefined,
    output: isObject(a.output) ? audioFormatFromAny(a.output.format) : undefined,
  };
}
