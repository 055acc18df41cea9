// Request-body validation for createCall / updateCall / updateCallRecordingState (§7.3, §7.6, §7.8).
// Pure: returns the normalised body or the 400 description.

import type { UpdateCallBody } from "../protocol/voice-api.js";

export type Result<T> = { ok: true; value: T } | { ok: false; description: string };

const E164 = /^\+[1-9]\d{1,14}$/;
const METHODS = ["GET", "POST"];

function isUrl(v: unknown): v is string {
  if (typeof v !== "string") return false;
  try {
    const u = new URL(v);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}

function method(v: unknown, field: string): Result<"GET" | "POST" | undefined> {
  if (v === undefined || v === null) return { ok: true, value: undefined };
  if (typeof v === "string" && METHODS.includes(v.toUpperCase())) return { ok: true, value: v.toUpperCase() as "GET" | "POST" };
  return { ok: false, description: `Invalid ${field}: must be GET or POST` };
}

function optStr(v: unknown, field: string, max: number): Result<string | undefined> {
  if (v === undefined || v === null) return { ok: true, value: undefined };
  if (typeof v !== "string") return { ok: false, description: `Invalid ${field}: must be a string` };
  if (v.length > max) return { ok: false, description: `Invalid ${field}: must be at most ${max} characters` };
  return { ok: true, value: v };
}

export interface CreateCallBody {
  to: string;
  from: string;
  applicationId: string;
  answerUrl: string;
  answerMethod: "GET" | "POST";
  answerFallbackUrl?: string;
  answerFallbackMethod: "GET" | "POST";
  username?: string;
  password?: string;
  fallbackUsername?: string;
  fallbackPassword?: string;
  disconnectUrl?: string;
  disconnectMethod: "GET" | "POST";
  callTimeout: number;
  callbackTimeout: number;
  priority: number;
  tag?: string;
  privacy?: boolean;
  displayName?: string;
  uui?: string;
  machineDetection?: MachineDetectionBody;
}

/** createCall `machineDetection` (§7.3): what the emulator uses of it. */
export interface MachineDetectionBody {
  mode: "sync" | "async";
  callbackUrl?: string;
  callbackMethod: "GET" | "POST";
  username?: string;
  password?: string;
}

function validateMachineDetection(v: unknown): Result<MachineDetectionBody | undefined> {
  if (v === undefined || v === null) return { ok: true, value: undefined };
  if (typeof v !== "object" || Array.isArray(v)) return { ok: false, description: "Invalid machineDetection: must be an object" };
  const o = v as Record<string, unknown>;
  const mode = o.mode ?? "async";
  if (mode !== "sync" && mode !== "async") return { ok: false, description: "Invalid machineDetection.mode: must be sync or async" };
  if (o.callbackUrl !== undefined && o.callbackUrl !== null && !isUrl(o.callbackUrl)) return { ok: false, description: "Invalid machineDetection.callbackUrl: must be an absolute http(s) URL" };
  // The docs: "If async mode is selected, the callbackUrl needs to be specified."
  if (mode === "async" && !o.callbackUrl) return { ok: false, description: "Invalid machineDetection.callbackUrl: required in async mode" };
  const m = method(o.callbackMethod, "machineDetection.callbackMethod");
  if (!m.ok) return m;
  const user = optStr(o.username, "machineDetection.username", 1024);
  if (!user.ok) return user;
  const pass = optStr(o.password, "machineDetection.password", 1024);
  if (!pass.ok) return pass;
  return { ok: true, value: { mode, callbackUrl: (o.callbackUrl as string | undefined) ?? undefined, callbackMethod: m.value ?? "POST", username: user.value, password: pass.value } };
}

export function validateCreateCall(b: Record<string, unknown>, applicationId: string): Result<CreateCallBody> {
  const need = (f: string) => ({ ok: false as const, description: `Invalid ${f}: ${f} is required` });
  if (b.to === undefined) return need("to");
  if (b.from === undefined) return need("from");
  if (b.applicationId === undefined) return need("applicationId");
  if (b.answerUrl === undefined) return need("answerUrl");
  if (typeof b.to !== "string" || !(E164.test(b.to) || /^sip:[^@\s]+@\S+$/.test(b.to))) return { ok: false, description: "Invalid to: must be an E164 telephone number or a SIP URI" };
  if (typeof b.from !== "string" || !E164.test(b.from)) return { ok: false, description: "Invalid from: must be an E164 telephone number" };
  if (b.applicationId !== applicationId) return { ok: false, description: `Invalid applicationId: application ${String(b.applicationId)} not found` };
  if (!isUrl(b.answerUrl) || b.answerUrl.length > 2048) return { ok: false, description: "Invalid answerUrl: must be an absolute http(s) URL of at most 2048 characters" };
  for (const f of ["answerFallbackUrl", "disconnectUrl"]) {
    if (b[f] !== undefined && b[f] !== null && (!isUrl(b[f]) || (b[f] as string).length > 2048)) return { ok: false, description: `Invalid ${f}: must be an absolute http(s) URL` };
  }
  const methods: Record<string, "GET" | "POST"> = {};
  for (const f of ["answerMethod", "answerFallbackMethod", "disconnectMethod"]) {
    const m = method(b[f], f);
    if (!m.ok) return m;
    methods[f] = m.value ?? "POST";
  }
  const strs: Record<string, string | undefined> = {};
  for (const [f, max] of [["username", 1024], ["password", 1024], ["fallbackUsername", 1024], ["fallbackPassword", 1024], ["tag", 4096], ["displayName", 256], ["uui", 350]] as const) {
    const r = optStr(b[f], f, max);
    if (!r.ok) return r;
    strs[f] = r.value;
  }
  const num = (f: string, def: number, min: number, max: number): Result<number> => {
    const v = b[f];
    if (v === undefined || v === null) return { ok: true, value: def };
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) return { ok: false, description: `Invalid ${f}: must be a number between ${min} and ${max}` };
    return { ok: true, value: v };
  };
  const callTimeout = num("callTimeout", 30, 1, 300);
  if (!callTimeout.ok) return callTimeout;
  const callbackTimeout = num("callbackTimeout", 15, 1, 25);
  if (!callbackTimeout.ok) return callbackTimeout;
  const priority = num("priority", 5, 1, 5);
  if (!priority.ok) return priority;
  if (b.privacy !== undefined && typeof b.privacy !== "boolean") return { ok: false, description: "Invalid privacy: must be a boolean" };
  const md = validateMachineDetection(b.machineDetection);
  if (!md.ok) return md;
  return {
    ok: true,
    value: {
      to: b.to,
      from: b.from,
      applicationId,
      answerUrl: b.answerUrl,
      answerMethod: methods.answerMethod,
      answerFallbackUrl: (b.answerFallbackUrl as string | undefined) ?? undefined,
      answerFallbackMethod: methods.answerFallbackMethod,
      disconnectUrl: (b.disconnectUrl as string | undefined) ?? undefined,
      disconnectMethod: methods.disconnectMethod,
      username: strs.username,
      password: strs.password,
      fallbackUsername: strs.fallbackUsername,
      fallbackPassword: strs.fallbackPassword,
      tag: strs.tag,
      displayName: strs.displayName,
      uui: strs.uui,
      callTimeout: callTimeout.value,
      callbackTimeout: callbackTimeout.value,
      priority: priority.value,
      privacy: b.privacy as boolean | undefined,
      machineDetection: md.value,
    },
  };
}

export type { UpdateCallBody };

export function validateUpdateCall(b: Record<string, unknown>): Result<UpdateCallBody> {
  const state = b.state ?? "active";
  if (state !== "active" && state !== "completed") return { ok: false, description: "Invalid state: must be active or completed" };
  if (state === "completed") {
    for (const f of ["redirectUrl", "redirectMethod", "tag"]) {
      if (b[f] !== undefined && b[f] !== null) return { ok: false, description: `Invalid ${f}: not allowed when state is completed` };
    }
    return { ok: true, value: { state } };
  }
  if (typeof b.redirectUrl !== "string" || b.redirectUrl === "") return { ok: false, description: "Invalid redirectUrl: redirectUrl is required when state is active" };
  const rm = method(b.redirectMethod, "redirectMethod");
  if (!rm.ok) return rm;
  const fm = method(b.redirectFallbackMethod, "redirectFallbackMethod");
  if (!fm.ok) return fm;
  const out: UpdateCallBody = { state, redirectUrl: b.redirectUrl, redirectMethod: rm.value, redirectFallbackMethod: fm.value };
  for (const [f, max] of [["username", 1024], ["password", 1024], ["fallbackUsername", 1024], ["fallbackPassword", 1024], ["tag", 4096], ["redirectFallbackUrl", 2048]] as const) {
    const r = optStr(b[f], f, max);
    if (!r.ok) return r;
    (out as unknown as Record<string, unknown>)[f] = r.value;
  }
  return { ok: true, value: out };
}

export function validateRecordingState(b: Record<string, unknown>): Result<"paused" | "recording"> {
  if (b.state === "paused" || b.state === "recording") return { ok: true, value: b.state };
  return { ok: false, description: "Invalid state: must be paused or recording" };
}
