// "Body is BXML" (bandwidth.md §6.2): the first element of the body is <Response> or <Bxml>.
// Everything before it may only be a BOM, whitespace, an XML declaration, comments, processing
// instructions or a doctype. Malformed-but-rooted bodies are BXML here; the parser rejects them
// later (→ invalid-bxml, no fallback). A DOCTYPE is skipped whole, internal subset included, so a
// <Response> after it is BXML: the parser then refuses the DOCTYPE (bxml/doctype, located), one
// verdict with `bwemu lint`.

export function firstElementName(body: string): string | undefined {
  return scanProlog(body).name;
}

/**
 * Where an HTML page starts, when the body is one (its first element is `<html>`, or its DOCTYPE is
 * `html`): the offset (BOM excluded) of that element, else of the DOCTYPE. The linter and the carrier
 * both call such a body "not BXML (root `<html>`)".
 */
export function htmlPageAt(body: string): number | undefined {
  const p = scanProlog(body);
  if (p.name !== undefined) return p.name.toLowerCase() === "html" ? p.offset : undefined;
  return p.doctypeHtml;
}

/** The first element's name, and whether a DOCTYPE came before it (its internal subset skipped whole). */
function scanProlog(body: string): { name?: string; doctype: boolean; offset?: number; doctypeHtml?: number } {
  let doctype = false;
  let doctypeHtml: number | undefined;
  let i = 0;
  const s = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  const n = s.length;
  while (i < n) {
    const c = s[i];
    if (c === " " || c === "\t" || c === "\r" || c === "\n") {
      i++;
      continue;
    }
    if (c !== "<") return { doctype, doctypeHtml };
    if (s.startsWith("<?", i)) {
      const end = s.indexOf("?>", i + 2);
      if (end < 0) return { doctype, doctypeHtml };
      i = end + 2;
      continue;
    }
    if (s.startsWith("<!--", i)) {
      const end = s.indexOf("-->", i + 4);
      if (end < 0) return { doctype, doctypeHtml };
      i = end + 3;
      continue;
    }
    if (s.startsWith("<!", i)) {
      if (/^<!DOCTYPE/i.test(s.slice(i, i + 9))) {
        doctype = true;
        if (/^<!DOCTYPE\s+html\b/i.test(s.slice(i, i + 20))) doctypeHtml = i;
      }
      const end = declarationEnd(s, i + 2);
      if (end < 0) return { doctype, doctypeHtml };
      i = end + 1;
      continue;
    }
    const m = /^<([A-Za-z_][\w.:-]*)/.exec(s.slice(i, i + 200));
    return { name: m ? m[1] : undefined, doctype, offset: i, doctypeHtml };
  }
  return { doctype, doctypeHtml };
}

/** Index of the `>` closing a `<!…` declaration: quoted literals and a `[…]` internal subset skipped. */
function declarationEnd(s: string, from: number): number {
  let depth = 0;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (c === '"' || c === "'") {
      const close = s.indexOf(c, i + 1);
      if (close < 0) return -1;
      i = close;
    } else if (c === "[") depth++;
    else if (c === "]") depth--;
    else if (c === ">" && depth <= 0) return i;
  }
  return -1;
}

export function isBxmlRooted(body: string): boolean {
  const { name, doctype } = scanProlog(body);
  // A DOCTYPE whose end cannot be found (an entity bomb cut short) leaves no first element: still
  // the parser's to refuse. `<!DOCTYPE html><html>` is an HTML page, not BXML.
  return name === "Response" || name === "Bxml" || (doctype && name === undefined);
}

/** `application/xml`, `text/xml` or any `+xml` type (parameters ignored). */
export function isXmlContentType(ct: string | undefined): boolean {
  if (!ct) return false;
  const t = ct.split(";")[0].trim().toLowerCase();
  return t === "application/xml" || t === "text/xml" || t.endsWith("+xml");
}
