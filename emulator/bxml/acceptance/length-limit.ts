// Length limits: StreamParam/CustomParam name ≤ 256 and value ≤ 2048 (ED-7), tag ≤ 256 (§1.6),
// UUI ≤ 256, Transfer display name ≤ 256, Conference name ≤ 100, SendDtmf ≤ 50 digits, Tag text ≤ 256.
import { charLength } from "../value-types.js";
import { elementText } from "../values.js";
import { platformRule, textPos, walkDocumentedAttributes, walkDocumentedElements } from "./walk.js";

export default platformRule({
  id: "bxml/length-limit",
  // bandwidth.md §1.6, §2.3, §2.15, §2.21, §2.25, §2.27, §2.29, ED-7, OPEN-3
  docs: ["https://dev.bandwidth.com/docs/voice/bxml", "https://dev.bandwidth.com/docs/voice/bxml/conference", "https://dev.bandwidth.com/docs/voice/bxml/sendDtmf", "https://dev.bandwidth.com/docs/voice/bxml/streamParam", "https://dev.bandwidth.com/docs/voice/bxml/startTranscription", "https://dev.bandwidth.com/docs/voice/bxml/transfer"],
  description: "An attribute value or text longer than its documented limit (StreamParam name 256 / value 2048, tag 256, Conference name 100…).",
  find(root, emit) {
    walkDocumentedAttributes(root, ({ el, attr: a, spec: as }) => {
      if (as.maxLength === undefined) return;
      const n = charLength(a.value);
      if (n > as.maxLength) {
        emit(a.valuePos, `${a.name} on <${el.name}> is ${n} characters long; the limit is ${as.maxLength}. Bandwidth rejects the document (invalid-bxml): shorten it.`);
      }
    });
    walkDocumentedElements(root, ({ el, spec }) => {
      const max = spec.text?.maxLength;
      if (max !== undefined) {
        const n = charLength(elementText(el));
        if (n > max) {
          emit(textPos(el), `the text of <${el.name}> is ${n} characters long; the limit is ${max}. Bandwidth rejects the document (invalid-bxml): shorten it.`);
        }
      }
    });
  },
});
