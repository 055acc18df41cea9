// Text inside an element that takes none (the root, StartStream, Gather…) is not BXML: the element
// index (§2.0) gives these elements no text content. Undocumented consequence; treated as an
// invalid document like a wrong child (OPEN-3). Whitespace and comments are always fine.
import { platformRule, textNodes, walkKnown } from "./walk.js";

export default platformRule({
  id: "bxml/unexpected-text",
  // bandwidth.md §2.0 (Text content: —), §1.2, OPEN-3
  docs: ["https://dev.bandwidth.com/docs/voice/bxml"],
  description: "Non-whitespace text inside an element that takes no text (root, StartStream, Gather, Transfer…).",
  find(root, emit) {
    walkKnown(root, ({ el, parent, spec }) => {
      if (parent && (!spec || spec.text)) return;
      for (const t of textNodes(el)) {
        if (!t.contentPos) continue;
        const snippet = t.value.trim().slice(0, 30);
        const hint = parent
          ? `<${el.name}> takes no text; put values in its attributes${spec?.children.allowed.length ? ` or child elements (${spec.children.allowed.join(", ")})` : ""}`
          : `the root holds only verbs; to speak text write <SpeakSentence>${snippet}</SpeakSentence>`;
        emit(t.contentPos, `unexpected text "${snippet}${t.value.trim().length > 30 ? "…" : ""}" in <${el.name}>: ${hint}.`);
        break; // one finding per element
      }
    });
  },
});
