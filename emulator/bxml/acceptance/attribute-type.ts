// OPEN-3: an attribute value that is not of its documented type (§2.1): URL, METHOD, BOOL, NUM,
// E164, CALLERID, UUI, SIP URI, WebSocket URI (another scheme or a relative destination → OPEN-6),
// and syntax-constrained strings (SSML time, prosody values). Case is not judged here (ED-6c).
import { typeProblem } from "../value-types.js";
import { platformRule, walkDocumentedAttributes } from "./walk.js";

export default platformRule({
  id: "bxml/attribute-type",
  // bandwidth.md §2.1, §1.5, §1.7, §8 rows 6 and 21, OPEN-3, OPEN-6
  docs: ["https://dev.bandwidth.com/docs/voice/bxml"],
  description: "An attribute value of the wrong type (URL, number, boolean, method, E.164, caller id, UUI, SIP/WebSocket URI).",
  find(root, emit, ctx) {
    walkDocumentedAttributes(root, ({ el, attr: a, spec: as }) => {
      if (as.required && as.type !== "STR" && a.value.trim() === "") return; // reported as missing
      let problem = typeProblem(as.type, a.value, ctx.baseUrl);
      if (!problem && as.pattern && !as.pattern.test(a.value)) problem = `must be ${as.note ?? `of the form ${as.pattern.source}`}`;
      if (problem) emit(a.valuePos, `${a.name}="${a.value}" on <${el.name}> ${problem}.`);
    });
  },
});
