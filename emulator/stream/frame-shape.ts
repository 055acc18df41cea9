// A linear pre-scan of an app's text frame before JSON.parse. A media-stream message (§4.6) is an
// object two levels deep with a handful of values; V8 needs ~1.7 s to parse 1 MB of `[[[[…]]]]`
// and ~160 ms for 1 MB of small numbers, which would stall the pacing of every call in the process.
// Counting brackets and separators outside strings costs a few ms per MB and bounds the parse.

/** Deeper than any media-stream message (playAudio is `{ media: { … } }`: depth 2). */
export const MAX_FRAME_DEPTH = 8;
/** More values (`,` and `:` outside strings) than any media-stream message has. */
export const MAX_FRAME_VALUES = 256;

/** Why the text is not worth parsing as a media-stream message, or undefined when it may be. */
export function frameShapeProblem(text: string): string | undefined {
  let depth = 0;
  let values = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = stringEnd(text, i + 1); // a base64 payload is one long string: skipped natively
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_FRAME_DEPTH) return `nested more than ${MAX_FRAME_DEPTH} levels deep (a media-stream message is 2); not parsed`;
    } else if (c === 0x7d || c === 0x5d) depth--;
    else if ((c === 0x2c || c === 0x3a) && ++values > MAX_FRAME_VALUES) return `more than ${MAX_FRAME_VALUES} JSON values (a media-stream message has a handful); not parsed`;
  }
  return undefined;
}

/** Index of the quote closing the string that starts at `from` (text length when unterminated). */
function stringEnd(text: string, from: number): number {
  for (let j = text.indexOf('"', from); j !== -1; j = text.indexOf('"', j + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(j - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return j;
  }
  return text.length;
}
