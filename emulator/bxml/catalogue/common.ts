// Building blocks shared by the catalogue entries: the attribute shapes that recur on many verbs
// (URL + method pairs, Basic credentials, tag, the params' name/value) and the context lists of spec §2.30.

import type { BxmlContext } from "../model.js";
import type { AttributeSpec } from "../spec.js";

/** Where a root-level verb stands (§1.1). */
export const ROOT: readonly string[] = ["Response", "Bxml"];

/** Every call document, transferAnswer replies and conference BXML (§2.30). */
export const ALL_CONTEXTS: readonly BxmlContext[] = ["initiate", "transferAnswer", "conference"];
/** §2.30: allowed in call documents and in transferAnswer replies, not in conference BXML. */
export const CALL_AND_TRANSFER_ANSWER: readonly BxmlContext[] = ["initiate", "transferAnswer"];
/** §2.30: call documents only (forbidden in transferAnswer and conference BXML). */
export const CALL_ONLY: readonly BxmlContext[] = ["initiate"];

export function url(note?: string, extra: Partial<AttributeSpec> = {}): AttributeSpec {
  return { type: "URL", ...(note ? { note } : {}), ...extra };
}

export const method: AttributeSpec = { type: "METHOD", default: "POST", values: ["GET", "POST"] };

export const tag: AttributeSpec = { type: "TAG", maxLength: 256, note: "≤ 256 characters; an empty value clears the call's tag" };

export function str(note?: string, extra: Partial<AttributeSpec> = {}): AttributeSpec {
  return { type: "STR", ...(note ? { note } : {}), ...extra };
}

/** ED-7: the name and value of a StreamParam or CustomParam (copied into the WebSocket `start` message). */
export const PARAM_ATTRIBUTES: Readonly<Record<string, AttributeSpec>> = {
  name: str("≤ 256 characters", { required: true, maxLength: 256 }),
  value: str("≤ 2048 characters", { required: true, maxLength: 2048 }),
};

export function bool(defaultValue: "true" | "false", note?: string): AttributeSpec {
  return { type: "BOOL", default: defaultValue, values: ["true", "false"], ...(note ? { note } : {}) };
}

export function num(min: number | undefined, max: number | undefined, defaultValue?: string, note?: string): AttributeSpec {
  return {
    type: "NUM",
    ...(defaultValue !== undefined ? { default: defaultValue } : {}),
    ...(min !== undefined ? { min } : {}),
    ...(max !== undefined ? { max } : {}),
    ...(note ? { note } : {}),
  };
}

export function enumOf(values: readonly string[], defaultValue?: string, note?: string): AttributeSpec {
  return { type: "ENUM", values, ...(defaultValue !== undefined ? { default: defaultValue } : {}), ...(note ? { note } : {}) };
}

/** `username` / `password`: HTTP Basic credentials for the verb's primary webhook URL(s) (§1.7). */
export const credentials: Readonly<Record<string, AttributeSpec>> = {
  username: str("HTTP Basic user name for the primary webhook URL(s)"),
  password: str("HTTP Basic password for the primary webhook URL(s)", { credential: true }),
};

/** `fallbackUsername` / `fallbackPassword`: credentials for the fallback URL(s) (§1.7). */
export const fallbackCredentials: Readonly<Record<string, AttributeSpec>> = {
  fallbackUsername: str("HTTP Basic user name for the fallback URL(s)"),
  fallbackPassword: str("HTTP Basic password for the fallback URL(s)", { credential: true }),
};

/** Diversion reasons shared by Forward and Transfer (§2.5, §2.27). */
export const DIVERSION_REASONS: readonly string[] = [
  "unknown",
  "user-busy",
  "no-answer",
  "unavailable",
  "unconditional",
  "time-of-day",
  "do-not-disturb",
  "deflection",
  "follow-me",
  "out-of-service",
  "away",
];

export const TRACKS: readonly string[] = ["inbound", "outbound", "both"];
