// Relative URL resolution (bandwidth.md §1.5): RFC 3986 reference resolution against the URL that
// actually served the document (the fallback URL when the fallback answered). OPEN-5: a document
// with no request URL (PUT …/bxml) uses the call's most recent document URL; none → unresolvable.

import { decided } from "../decisions.js";

export type Resolved = { ok: true; url: string } | { ok: false; error: string };

export function resolveUrl(value: string, base: string | undefined): Resolved {
  const v = value.trim();
  if (v === "") return { ok: false, error: "empty URL" };
  try {
    // An absolute URL parses on its own; the base only matters for relative references.
    const abs = new URL(v);
    if (abs.protocol !== "http:" && abs.protocol !== "https:") {
      return { ok: false, error: `URL ${v} is not http(s)` };
    }
    return { ok: true, url: abs.href };
  } catch {
    // relative: fall through
  }
  if (!base) return { ok: false, error: `relative URL "${v}" has no base URL to resolve against ${decided("relative-urls")}` };
  try {
    return { ok: true, url: new URL(v, base).href };
  } catch {
    return { ok: false, error: `URL "${v}" cannot be resolved against ${base}` };
  }
}
