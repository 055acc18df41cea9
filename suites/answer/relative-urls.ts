import type { ConformanceCase } from "../types.js";
import { elementVisits } from "../../emulator/bxml/tree.js";
import { isRelative, resolveUrl } from "../../emulator/bxml/urls.js";
import { events, fail, firstDocument, pass } from "../observe.js";

/** Attribute names that may hold a relative URL (bandwidth.md §1.5). */
const URL_ATTR = /Url$/;

export default {
  id: "answer.relative-urls",
  level: "MUST",
  title: "Relative URLs resolve and are reachable",
  expectation: "relative URLs in the BXML resolve against the URL that served it and answer",
  // bandwidth.md §1.5 (RFC 3986 resolution against the serving URL)
  docs: ["https://dev.bandwidth.com/docs/voice/bxml", "https://www.rfc-editor.org/rfc/rfc3986#section-5"],
  outcomes: "every webhook sent to a relative URL of the document gets a reply that is not 404/405; none present → pass",
  scenarios: ["basic"],
  requires: ["bxml"],
  check(c) {
    const doc = firstDocument(c.call)!;
    const rel = elementVisits(doc.root!)
      .flatMap(({ el }) => el.attrs.filter((a) => URL_ATTR.test(a.name) && isRelative(a.value)))
      .flatMap((a) => resolveUrl(a.value, doc.url) ?? []);
    if (!rel.length) return pass("no relative URLs");
    const used = events(c.call, "http.exchange").filter((e) => rel.some((u) => e.data.url.split("?")[0] === u.split("?")[0]));
    const bad = used.filter((e) => e.data.status === undefined || e.data.status === 404 || e.data.status === 405);
    if (bad.length) return fail("relative URLs reachable", bad.map((e) => `${e.data.method} ${e.data.url} → ${e.data.status ?? e.data.error}`).join("\n"), bad);
    return pass(`${rel.length} relative URL(s), ${used.length} request(s) answered`);
  },
} satisfies ConformanceCase;
