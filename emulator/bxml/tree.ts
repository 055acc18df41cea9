// A parsed document's elements as one flat list, in document order with their parents and catalogue
// entries: what the platform rules (emulator/bxml/acceptance) and the pitfall rules (suites/lint)
// walk. Every rule walks the same tree, so the list is built once per document (trees are not mutated
// after parsing; the WeakMap lets a document's list go with the document).
import { getSpec } from "./catalogue/index.js";
import type { BxmlElement } from "./model.js";
import type { ElementSpec } from "./spec.js";

export interface ElementVisit {
  el: BxmlElement;
  /** Undefined for the root. */
  parent: BxmlElement | undefined;
  /** Catalogue entry; undefined for the root and for elements the catalogue does not know. */
  spec: ElementSpec | undefined;
  /** Below an element the catalogue does not know: its content means nothing to the platform. */
  insideUnknown: boolean;
}

const cache = new WeakMap<BxmlElement, readonly ElementVisit[]>();

/** Every element of the tree, depth-first in document order (iterative: no recursion limit). */
export function elementVisits(root: BxmlElement): readonly ElementVisit[] {
  const hit = cache.get(root);
  if (hit) return hit;
  const out: ElementVisit[] = [];
  const stack: ElementVisit[] = [{ el: root, parent: undefined, spec: undefined, insideUnknown: false }];
  while (stack.length > 0) {
    const v = stack.pop()!;
    out.push(v);
    const insideUnknown = v.insideUnknown || (v.parent !== undefined && v.spec === undefined);
    const kids = v.el.children;
    for (let k = kids.length - 1; k >= 0; k--) {
      const c = kids[k];
      if (c.type === "element") stack.push({ el: c, parent: v.el, spec: getSpec(c.name), insideUnknown });
    }
  }
  cache.set(root, out);
  return out;
}
