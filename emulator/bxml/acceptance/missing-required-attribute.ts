// OPEN-3: a required attribute that is absent (or empty, for typed values) makes the document invalid. Includes the
// conditional requirement of SSML say-as (`format` with interpret-as="date", §2.17).
import { attributesFor } from "../catalogue/index.js";
import { attr } from "../model.js";
import type { AttributeSpec } from "../spec.js";
import { platformRule, walkDocumentedElements } from "./walk.js";

// Attribute lists are catalogue constants: index the required ones once per list.
const requiredCache = new WeakMap<object, readonly [string, AttributeSpec][]>();
function requiredOf(attrs: Readonly<Record<string, AttributeSpec>>): readonly [string, AttributeSpec][] {
  let r = requiredCache.get(attrs);
  if (!r) {
    r = Object.entries(attrs).filter(([, as]) => as.required === true || as.requiredWhen !== undefined);
    requiredCache.set(attrs, r);
  }
  return r;
}

export default platformRule({
  id: "bxml/missing-required-attribute",
  // bandwidth.md §2 (Req column), §8 row 6, OPEN-3
  docs: ["https://dev.bandwidth.com/docs/voice/bxml"],
  description: "A required attribute is missing or empty (e.g. StartStream destination, Redirect redirectUrl, StopStream name).",
  find(root, emit) {
    walkDocumentedElements(root, ({ el, parent, spec }) => {
      for (const [name, as] of requiredOf(attributesFor(spec, parent.name))) {
        let required = as.required === true;
        let condition = "";
        if (!required && as.requiredWhen) {
          const other = attr(el, as.requiredWhen.attribute)?.value.trim().toLowerCase();
          required = other === as.requiredWhen.equals.toLowerCase();
          condition = ` when ${as.requiredWhen.attribute}="${as.requiredWhen.equals}"`;
        }
        if (!required) continue;
        const a = attr(el, name);
        const what = as.note ? ` (${as.note})` : "";
        if (!a) {
          emit(el.pos, `<${el.name}> requires \`${name}\`${what}${condition}: add ${name}="…". Without it Bandwidth rejects the document (invalid-bxml).`);
        } else if (a.value.trim() === "" && as.type !== "STR") {
          // An empty free string (StreamParam value="") is a value; an empty URL or number is not.
          emit(a.pos, `\`${name}\` on <${el.name}> is empty but required${what}${condition}: give it a value.`);
        }
      }
    });
  },
});
