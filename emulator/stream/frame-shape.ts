// A linear pre-scan of an app's text frame before JSON.parse. A media-stream message (§4.6) is an
// object two levels deep with a handful of values; V8 needs ~1.7 s to parse 1 MB of `[[[[…]]]]`
// and ~160 ms for 1 MB of small numbers, which would stall the pacing of every call in the process.
// Counting brackets and separators outside strings costs a few ms per MB and bounds the parse
// (the same scan as the stub's client events, protocol/json-shape.ts).

import { checkJsonShape } from "../protocol/json-shape.js";

/** Deeper than any media-stream message (playAudio is `{ media: { … } }`: depth 2). */
export const MAX_FRAME_DEPTH = 8;
/** More values (`,` and `:` outside strings) than any media-stream message has. */
export const MAX_FRAME_VALUES = 256;

/** Why the text is not worth parsing as a media-stream message, or undefined when it may be. */
export function frameShapeProblem(text: string): string | undefined {
  const p = checkJsonShape(text, { maxDepth: MAX_FRAME_DEPTH, maxValues: MAX_FRAME_VALUES, maxStructureChars: Infinity });
  if (p?.kind === "too-deep") return `nested more than ${MAX_FRAME_DEPTH} levels deep (a media-stream message is 2); not parsed`;
  if (p?.kind === "too-many-values") return `more than ${MAX_FRAME_VALUES} JSON values (a media-stream message has a handful); not parsed`;
  return undefined;
}
