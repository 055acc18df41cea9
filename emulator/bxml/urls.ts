// URL facts about BXML attribute values, shared by the platform rules, the pitfall rules and the
// conformance cases (bandwidth.md §1.5: relative references resolve against the serving URL).

/** The URL scheme in lower case (`https`, `wss`), or undefined for a relative reference. */
export function schemeOf(value: string): string | undefined {
  const m = /^\s*([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(value);
  return m ? m[1].toLowerCase() : undefined;
}

/** RFC 3986 relative reference (no scheme), e.g. `/callbacks/x`, `Tone.mp3`, `//host/x`. */
export function isRelative(value: string): boolean {
  return value.trim() !== "" && schemeOf(value) === undefined;
}

/** `value` resolved against `base` (§1.5), or undefined when either is unusable. */
export function resolveUrl(value: string, base: string | undefined): string | undefined {
  try {
    return new URL(value.trim(), base).href;
  } catch {
    return undefined;
  }
}
