// OPEN-3: a number outside its documented range (Pause duration 0.1–86400, Gather maxDigits 1–50,
// Conference callbackTimeout 1–25, Transfer callTimeout 1–300, SendDtmf tones 50–5000 ms…), and
// an SSML break longer than 10 s.
import { parseNum, ssmlSeconds } from "../value-types.js";
import { platformRule, walkDocumentedAttributes } from "./walk.js";

function range(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `${min}–${max}`;
  if (min !== undefined) return `at least ${min}`;
  return `at most ${max}`;
}

export default platformRule({
  id: "bxml/attribute-range",
  // bandwidth.md §2 (attribute tables), §8 row 6, OPEN-3
  docs: ["https://dev.bandwidth.com/docs/voice/bxml"],
  description: "A numeric attribute outside its documented range.",
  find(root, emit) {
    walkDocumentedAttributes(root, ({ el, attr: a, spec: as }) => {
      if (as.min === undefined && as.max === undefined) return;
      const n = as.type === "NUM" || as.type === "INT" ? parseNum(a.value) : ssmlSeconds(a.value);
      if (n === undefined) return; // a type problem, reported by attribute-type
      if ((as.min !== undefined && n < as.min) || (as.max !== undefined && n > as.max)) {
        const r = range(as.min, as.max);
        // Notes often restate the range with its unit ("0.1–86400 s"): then the note says it all.
        const must = as.note?.startsWith(r) ? as.note : as.note ? `${r} (${as.note})` : r;
        emit(a.valuePos, `${a.name}="${a.value}" on <${el.name}> is out of range: it must be ${must}.`);
      }
    });
  },
});
