// OPEN-3: an enumerated attribute (mode, tracks, fileFormat, gender, diversionTreatment,
// diversionReason, SSML values…) whose value is in none of the documented values, compared
// case-insensitively: a value in the wrong case is accepted (ED-6c; the pitfall rule warns). Open
// lists (SpeakSentence voice and locale) are not judged here (OPEN-4: the default voice is used).
import { platformRule, walkDocumentedAttributes } from "./walk.js";

export default platformRule({
  id: "bxml/attribute-enum",
  // bandwidth.md §1.7, §2 (attribute tables), §8 row 6, OPEN-3, ED-6c
  docs: ["https://dev.bandwidth.com/docs/voice/bxml"],
  description: "An enumerated attribute whose value is not one of the documented values (in any case).",
  find(root, emit) {
    walkDocumentedAttributes(root, ({ el, attr: a, spec: as }) => {
      if (as.type !== "ENUM" || !as.values || as.open) return;
      if (as.required && a.value.trim() === "") return; // reported as missing
      const v = a.value.trim().toLowerCase();
      if (as.values.some((x) => x.toLowerCase() === v)) return;
      emit(a.valuePos, `${a.name}="${a.value}" on <${el.name}> is not a documented value: use one of ${as.values.join(", ")}.`);
    });
  },
});
