// ED-6a: an element Bandwidth does not know makes the whole document invalid (invalid-bxml).
// Element names are case-sensitive (§1.7), so `<startStream>` is unknown: suggest the verb meant.
import { BXML_ELEMENT_NAMES, ROOT_ELEMENTS, SSML_ELEMENT_NAMES, suggestElementName } from "../catalogue/index.js";
import { platformRule, walkKnown } from "./walk.js";

// Edit distances are the costly part; a hostile document repeats the same unknown name thousands of times.
const memo = new Map<string, string | undefined>();
function suggest(name: string, inSpeech: boolean): string | undefined {
  const key = `${inSpeech ? 1 : 0}${name}`;
  if (memo.has(key)) return memo.get(key);
  const s = suggestElementName(name, inSpeech ? SPEECH_NAMES : BXML_ELEMENT_NAMES);
  if (memo.size >= 256) memo.clear();
  memo.set(key, s);
  return s;
}
const SPEECH_NAMES = [...SSML_ELEMENT_NAMES, ...BXML_ELEMENT_NAMES];

export default platformRule({
  id: "bxml/unknown-element",
  // bandwidth.md §1.7, §2.0, ED-6a
  docs: ["https://dev.bandwidth.com/docs/voice/bxml"],
  description: "An element that is not a BXML verb or noun (or SSML inside SpeakSentence): the call ends with invalid-bxml.",
  find(root, emit) {
    walkKnown(root, ({ el, parent, spec }) => {
      if (parent === undefined || spec !== undefined) return;
      const inSpeech = parent.name === "SpeakSentence" || SSML_ELEMENT_NAMES.includes(parent.name);
      const suggestion = suggest(el.name, inSpeech);
      const head = `<${el.name}> is not a BXML element: Bandwidth rejects the whole document (invalid-bxml)`;
      let hint: string;
      if (ROOT_ELEMENTS.includes(el.name)) {
        emit(el.pos, `<${el.name}> is a root element and cannot be nested inside <${parent.name}>: a document has one root; put the verbs directly in it. Bandwidth rejects the whole document (invalid-bxml).`);
        return;
      }
      if (suggestion && suggestion.toLowerCase() === el.name.toLowerCase()) {
        hint = `element names are case-sensitive: write <${suggestion}>`;
      } else if (suggestion) {
        hint = `did you mean <${suggestion}>?`;
      } else if (inSpeech) {
        hint = `SpeakSentence accepts the SSML elements ${SSML_ELEMENT_NAMES.join(", ")}; write other text as plain text`;
      } else {
        hint = "remove it or use a documented verb";
      }
      emit(el.pos, `${head}; ${hint}`);
    });
  },
});
