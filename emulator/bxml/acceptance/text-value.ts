// OPEN-3: element text of the wrong form: PlayAudio URL, SendDtmf characters, PhoneNumber E.164,
// SipUri `sip:` URI, Conference name characters (letters, digits, `-`, `_`, `.`).
import { textProblem } from "../value-types.js";
import { elementText } from "../values.js";
import { platformRule, textPos, walkDocumentedElements } from "./walk.js";

export default platformRule({
  id: "bxml/text-value",
  // bandwidth.md §2.3, §2.10, §2.15, §2.28, §2.29, §1.5, OPEN-3
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/conference", "https://dev.bandwidth.com/docs/voice/bxml/playAudio", "https://dev.bandwidth.com/docs/voice/bxml/sendDtmf", "https://dev.bandwidth.com/docs/voice/bxml/transfer", "https://dev.bandwidth.com/docs/voice/bxml"],
  description: "Element text of the wrong form (PlayAudio URL, DTMF digits, E.164 number, sip: URI, conference name).",
  find(root, emit, ctx) {
    walkDocumentedElements(root, ({ el, spec }) => {
      if (!spec.text) return;
      const text = elementText(el);
      if (text.trim() === "") return; // missing-required-text
      const problem = textProblem(spec.text.kind, spec.text.trim ? text : text.trim(), ctx.baseUrl);
      if (problem) emit(textPos(el), `the text of <${el.name}> ("${text.trim().slice(0, 40)}") ${problem}.`);
    });
  },
});
