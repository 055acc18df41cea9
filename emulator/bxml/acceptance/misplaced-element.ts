// ED-6a: a known element in a position it may not occupy (a noun at root level, a verb nested in
// the wrong parent, SSML outside SpeakSentence) is handled like an unknown verb: invalid-bxml.
import { getSpec, ROOT_ELEMENTS } from "../catalogue/index.js";
import { orList, platformRule, walkDocumentedElements } from "./walk.js";

function where(parents: readonly string[]): string {
  const named = parents.filter((p) => !ROOT_ELEMENTS.includes(p)).map((p) => `<${p}>`);
  const atRoot = parents.some((p) => ROOT_ELEMENTS.includes(p));
  return orList([...(atRoot ? ["directly in <Response>/<Bxml>"] : []), ...(named.length ? [`inside ${orList(named)}`] : [])]);
}

export default platformRule({
  id: "bxml/misplaced-element",
  // bandwidth.md §2.0, ED-6a
  docs: ["https://dev.bandwidth.com/docs/voice/bxml"],
  description: "A known element under a parent where it may not stand (noun at root, verb nested, SSML outside SpeakSentence).",
  find(root, emit) {
    walkDocumentedElements(root, ({ el, parent, spec }) => {
      const parentIsRoot = parent === root;
      // Children of an unknown parent are never visited; a known parent is judged by name.
      if (spec.parents.includes(parent.name) || (parentIsRoot && spec.parents.some((p) => ROOT_ELEMENTS.includes(p)))) return;
      const parentSpec = parentIsRoot ? undefined : getSpec(parent.name);
      let why: string;
      if (parentIsRoot) {
        why = `<${el.name}> cannot stand at the top level of the document: it belongs ${where(spec.parents)}`;
      } else if (parentSpec && parentSpec.children.allowed.length === 0) {
        why = `<${parent.name}> takes no child elements, so <${el.name}> cannot stand inside it (it belongs ${where(spec.parents)})`;
      } else if (parentSpec) {
        why = `<${parent.name}> may contain only ${orList(parentSpec.children.allowed.map((n) => `<${n}>`))}; <${el.name}> belongs ${where(spec.parents)}`;
      } else {
        why = `<${el.name}> belongs ${where(spec.parents)}`;
      }
      emit(el.pos, `${why}. Bandwidth rejects the whole document (invalid-bxml).`);
    });
  },
});
