// §10.1: the Python SDK writes the conference name as a `name` attribute; Bandwidth reads the name
// from the text content, so the member joins no conference (a missing text is a platform error).
import { attr, pitfallRule, textContent, walk } from "./util.js";

export default pitfallRule({
  id: "conference/name-attribute",
  level: "warning",
  // bandwidth.md §2.3, §10.1 (Python SDK)
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/conference"],
  description: "Conference name written as a name attribute instead of the element text.",
  find(root, emit) {
    walk(root, (el) => {
      if (el.name !== "Conference") return;
      const a = attr(el, "name");
      if (!a) return;
      const text = textContent(el).trim();
      emit(
        a.pos,
        text
          ? `name="${a.value}" is ignored: Bandwidth takes the conference name from the text ("${text}"). Remove the attribute.`
          : `the conference name goes in the text, not in a name attribute (Bandwidth ignores the attribute): write <Conference>${a.value}</Conference>.`,
      );
    });
  },
});
