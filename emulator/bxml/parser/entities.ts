// Character and entity references (XML 1.0 §4.1, §4.6) and end-of-line / attribute-value
// normalisation (§2.11, §3.3.3). Only the five predefined entities exist: a document cannot
// define more, because any DOCTYPE is refused before this code runs (no entity expansion, ever).

const PREDEFINED: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** A problem found while decoding, at `offset` relative to the decoded slice's start in the source. */
export interface DecodeError {
  offset: number;
  message: string;
}

/** XML `Char` production: what may appear in a document at all. */
export function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/**
 * Decode `text[start, end)`. `attribute` applies attribute-value normalisation (each literal
 * tab/newline/CR — CRLF counting once — becomes a space); otherwise line ends become "\n".
 * Returns the value or the first error.
 */
export function decodeXmlText(
  text: string,
  start: number,
  end: number,
  attribute: boolean,
): { value: string } | { error: DecodeError } {
  // Fast path: nothing to decode or normalise.
  let needs = false;
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c === 38 /* & */ || c === 13 || (attribute && (c === 10 || c === 9))) {
      needs = true;
      break;
    }
  }
  if (!needs) return { value: text.slice(start, end) };

  let out = "";
  let runStart = start;
  let k = start;
  while (k < end) {
    const c = text.charCodeAt(k);
    if (c === 38) {
      out += text.slice(runStart, k);
      const semi = text.indexOf(";", k + 1);
      if (semi === -1 || semi >= end || semi - k > 40) {
        return { error: { offset: k, message: bareAmpersand(text, k, end) } };
      }
      const ref = text.slice(k + 1, semi);
      if (ref.startsWith("#")) {
        const cp = /^#[0-9]+$/.test(ref)
          ? parseInt(ref.slice(1), 10)
          : /^#x[0-9a-fA-F]+$/.test(ref)
            ? parseInt(ref.slice(2), 16)
            : NaN;
        if (Number.isNaN(cp)) {
          return { error: { offset: k, message: `malformed character reference \`&${ref};\` (use \`&#NNN;\` or \`&#xHHHH;\`)` } };
        }
        if (!isXmlChar(cp)) {
          return { error: { offset: k, message: `character reference \`&${ref};\` names a character that XML does not allow` } };
        }
        out += String.fromCodePoint(cp);
      } else {
        const v = PREDEFINED[ref];
        if (v === undefined) {
          if (!/^[A-Za-z_:][\w.:-]*$/.test(ref)) return { error: { offset: k, message: bareAmpersand(text, k, end) } };
          return {
            error: {
              offset: k,
              message: `undefined entity \`&${ref};\`: XML only knows &amp; &lt; &gt; &quot; &apos; (write a character reference such as &#160; instead)`,
            },
          };
        }
        out += v;
      }
      k = semi + 1;
      runStart = k;
    } else if (c === 13) {
      out += text.slice(runStart, k) + (attribute ? " " : "\n");
      k += text.charCodeAt(k + 1) === 10 ? 2 : 1;
      runStart = k;
    } else if (attribute && (c === 10 || c === 9)) {
      out += text.slice(runStart, k) + " ";
      k++;
      runStart = k;
    } else k++;
  }
  return { value: out + text.slice(runStart, end) };
}

function bareAmpersand(text: string, k: number, end: number): string {
  const snippet = text.slice(k, Math.min(end, k + 12)).split(/[\s"'<]/)[0];
  return `\`&\` must be written \`&amp;\` (found \`${snippet}\`; common in URLs with a query string)`;
}
