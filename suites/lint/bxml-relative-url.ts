// §1.5: relative URLs resolve against the URL that served the document. A file linted without
// --base-url has none, so say where they will go (info). A document sent with PUT …/bxml resolves
// against the call's most recent BXML URL (OPEN-5). StartStream destination is never relative
// (OPEN-6, a platform error), so only URL-typed attributes and URL text (PlayAudio) count.
import { isRelative, pitfallRule, textContent, walkSpecs } from "./util.js";
import type { BxmlText } from "../../emulator/bxml/model.js";

export default pitfallRule({
  id: "bxml/relative-url",
  level: "info",
  // bandwidth.md §1.5, OPEN-5
  docs: ["https://dev.bandwidth.com/docs/voice/bxml"],
  description: "A relative URL in a document linted without a base URL (--base-url).",
  find(root, emit, ctx) {
    if (ctx.baseUrl) return;
    const msg = (what: string, v: string) =>
      `${what} "${v.trim()}" is relative: it resolves against the URL that served this document (for a PUT …/bxml body, the call's most recent BXML URL). Pass --base-url to check where it goes, or write an absolute https:// URL.`;
    walkSpecs(root, (el, spec, attrs) => {
      for (const { a, as } of attrs) if (as?.type === "URL" && isRelative(a.value)) emit(a.valuePos, msg(a.name, a.value));
      if (spec.text?.kind === "url") {
        const t = textContent(el);
        if (isRelative(t)) {
          const node = el.children.find((c): c is BxmlText => c.type === "text" && c.value.trim() !== "");
          const pos = node ? (node.contentPos ?? advance(node.value, node.pos)) : el.pos;
          emit(pos, msg(`<${el.name}> URL`, t));
        }
      }
    });
  },
});

/** Position of the first non-blank character of a text node. */
function advance(text: string, pos: { line: number; col: number; offset: number }) {
  let { line, col, offset } = pos;
  for (const ch of text) {
    if (!/\s/.test(ch)) break;
    if (ch === "\n") {
      line++;
      col = 1;
    } else col++;
    offset++;
  }
  return { line, col, offset };
}
