// A cheap look at a JSON text before JSON.parse: nesting depth and the bytes outside string literals.
// JSON.parse of 5 million nested brackets takes seconds on the stub's one thread (measured 7.6 s),
// and anything recursive afterwards (structuredClone, JSON.stringify) overflows the stack from about
// 10 000 levels. The scan visits only structural characters (a native regex search) and skips each
// string with indexOf, so a 20 MiB base64 append costs about a millisecond; it stops at the first
// level past the limit, so a hostile frame costs no more than a legitimate one.

export interface JsonShapeLimits {
  /** Deepest allowed nesting of arrays and objects. */
  maxDepth: number;
  /** Most bytes allowed outside string literals (punctuation, numbers, literals). */
  maxStructureChars: number;
  /** Most values allowed (`,` and `:` outside strings); unlimited when absent. */
  maxValues?: number;
}

/** Client events: schemas of tools nest a few dozen levels; live events carry their bulk in strings. */
export const CLIENT_EVENT_SHAPE: JsonShapeLimits = { maxDepth: 128, maxStructureChars: 1024 * 1024 };

export type JsonShapeProblem =
  | { kind: "too-deep"; limit: number }
  | { kind: "too-much-structure"; limit: number; chars: number }
  | { kind: "too-many-values"; limit: number };

const STRUCTURAL = /["[\]{}]/g;
const WITH_SEPARATORS = /["[\]{},:]/g;

/** The first limit the text breaks, or undefined. Malformed text is left to JSON.parse to describe. */
export function checkJsonShape(text: string, limits: JsonShapeLimits): JsonShapeProblem | undefined {
  // `test` and lastIndex rather than `exec`: no match object per character (this runs on every app frame).
  const re = limits.maxValues === undefined ? STRUCTURAL : WITH_SEPARATORS;
  re.lastIndex = 0;
  let depth = 0;
  let values = 0;
  let inStrings = 0;
  while (re.test(text)) {
    const at = re.lastIndex - 1;
    const c = text.charCodeAt(at);
    if (c === 0x22) {
      const end = closingQuote(text, at);
      if (end < 0) return undefined;
      inStrings += end - at + 1;
      re.lastIndex = end + 1;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limits.maxDepth) return { kind: "too-deep", limit: limits.maxDepth };
    } else if (c === 0x5d || c === 0x7d) depth--;
    else if (++values > limits.maxValues!) return { kind: "too-many-values", limit: limits.maxValues! };
  }
  const chars = text.length - inStrings;
  return chars > limits.maxStructureChars ? { kind: "too-much-structure", limit: limits.maxStructureChars, chars } : undefined;
}

/** Index of the quote ending the string literal opened at `open` (escaped quotes skipped), or -1. */
function closingQuote(text: string, open: number): number {
  for (let j = text.indexOf('"', open + 1); j >= 0; j = text.indexOf('"', j + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(j - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return j;
  }
  return -1;
}
