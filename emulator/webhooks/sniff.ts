// "Body is BXML" (bandwidth.md §6.2): the first element of the body is <Response> or <Bxml>.
// Everything before it may only be a BOM, whitespace, an XML declaration, comments, processing
// instructions or a doctype. Malformed-but-rooted bodies are BXML here; the parser rejects them
// later (→ invalid-bxml, no fallback).

export function firstElementName(body: string): string | undefined {
  let i = 0;
  const s = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  const n = s.length;
  while (i < n) {
    const c = s[i];
    if (c === " " || c === "\t" || c === "\r" || c === "\n") {
      i++;
      continue;
    }
    if (c !== "<") return undefined;
    if (s.startsWith("<?", i)) {
      const end = s.indexOf("?>", i + 2);
      if (end < 0) return undefined;
      i = end + 2;
      continue;
    }
    if (s.startsWith("<!--", i)) {
      const end = s.indexOf("-->", i + 4);
      if (end < 0) return undefined;
      i = end + 3;
      continue;
    }
    if (s.startsWith("<!", i)) {
      const end = s.indexOf(">", i + 2);
      if (end < 0) return undefined;
      i = end + 1;
      continue;
    }
    const m = /^<([A-Za-z_][\w.:-]*)/.exec(s.slice(i, i + 200));
    return m ? m[1] : undefined;
  }
  return undefined;
}

export function isBxmlRooted(body: string): boolean {
  const name = firstElementName(body);
  return name === "Response" || name === "Bxml";
}

/** `application/xml`, `text/xml` or any `+xml` type (parameters ignored). */
export function isXmlContentType(ct: string | undefined): boolean {
  if (!ct) return false;
  const t = ct.split(";")[0].trim().toLowerCase();
  return t === "application/xml" || t === "text/xml" || t.endsWith("+xml");
}
