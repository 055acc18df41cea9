// OPEN-3 / ED-7: child-count limits: StreamParam ≤ 12, CustomParam ≤ 12, Transfer 1–8 targets,
// Gather ≤ 20 prompts and repeatCount × prompts ≤ 20, Refer exactly one SipUri, Connect ≥ 1 Endpoint.
import { attr, childElements } from "../model.js";
import { parseNum } from "../value-types.js";
import { orList, platformRule, walkDocumentedElements } from "./walk.js";

export default platformRule({
  id: "bxml/child-count",
  // bandwidth.md §2.0, §2.4, §2.6, §2.13, §2.20, §2.23, §2.27, ED-7, OPEN-3
  docs: ["https://dev.bandwidth.com/docs/voice/bxml", "https://dev.bandwidth.com/docs/voice/bxml/connect", "https://dev.bandwidth.com/docs/voice/bxml/gather", "https://dev.bandwidth.com/docs/voice/bxml/refer", "https://dev.bandwidth.com/docs/voice/bxml/startStream", "https://dev.bandwidth.com/docs/voice/bxml/startTranscription", "https://dev.bandwidth.com/docs/voice/bxml/transfer"],
  description: "Too few or too many child elements (StreamParam ≤ 12, CustomParam ≤ 12, Transfer 1–8, Gather prompts ≤ 20, Refer = 1 SipUri, Connect ≥ 1 Endpoint).",
  find(root, emit) {
    walkDocumentedElements(root, ({ el, spec }) => {
      const { allowed, min, max } = spec.children;
      if (min === undefined && max === undefined && el.name !== "Gather") return;
      const kids = childElements(el).filter((c) => allowed.includes(c.name));
      const names = orList(allowed.map((n) => `<${n}>`));
      if (min !== undefined && kids.length < min) {
        const exactly = min === max ? `exactly ${min}` : `at least ${min}`;
        emit(el.pos, `<${el.name}> needs ${exactly} ${names} child${min === 1 ? "" : "ren"}, it has ${kids.length}. Bandwidth rejects the document (invalid-bxml).`);
      }
      if (max !== undefined && kids.length > max) {
        emit(kids[max].pos, `<${el.name}> may hold at most ${max} ${names} child${max === 1 ? "" : "ren"}, it has ${kids.length}: this is number ${max + 1}. Bandwidth rejects the whole document (invalid-bxml).`);
      }
      if (el.name === "Gather" && kids.length > 0) {
        const rc = attr(el, "repeatCount");
        const n = rc ? parseNum(rc.value) : undefined;
        if (rc && n !== undefined && n * kids.length > 20) {
          emit(rc.valuePos, `repeatCount="${rc.value}" × ${kids.length} prompt${kids.length === 1 ? "" : "s"} = ${n * kids.length} plays; Gather allows at most 20: lower repeatCount or use fewer prompts.`);
        }
      }
    });
  },
});
