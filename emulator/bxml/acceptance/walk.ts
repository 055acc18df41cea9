// Tree walking and diagnostic helpers shared by the platform rules.
import type { BxmlAttribute, BxmlElement, BxmlText, Diagnostic, Position } from "../model.js";
import { attributesFor } from "../catalogue/index.js";
import type { AttributeSpec, ElementSpec } from "../spec.js";
import type { AcceptanceContext, PlatformRule } from "./types.js";
import { elementVisits, type ElementVisit } from "../tree.js";

/**
 * Depth-first, document order. Elements below an unknown element are not visited: the unknown
 * element is the one finding there, its content is meaningless to the platform.
 */
export function walkKnown(root: BxmlElement, visit: (v: ElementVisit) => void): void {
  for (const v of elementVisits(root)) if (!v.insideUnknown) visit(v);
}

export interface DocumentedVisit {
  el: BxmlElement;
  parent: BxmlElement;
  spec: ElementSpec;
}

/** Every known element below the root (a verb, noun or SSML element with a catalogue entry), in document order. */
export function walkDocumentedElements(root: BxmlElement, visit: (v: DocumentedVisit) => void): void {
  for (const { el, parent, spec, insideUnknown } of elementVisits(root)) if (parent && spec && !insideUnknown) visit({ el, parent, spec });
}

export interface AttributeVisit {
  el: BxmlElement;
  attr: BxmlAttribute;
  /** The catalogue's spec of the attribute in this position (SipUri inside Refer has none). */
  spec: AttributeSpec;
}

/** Every documented attribute of every known element; unknown attributes are ignored (ED-6b). */
export function walkDocumentedAttributes(root: BxmlElement, visit: (v: AttributeVisit) => void): void {
  walkDocumentedElements(root, ({ el, parent, spec }) => {
    const attrs = attributesFor(spec, parent.name);
    for (const a of el.attrs) if (Object.hasOwn(attrs, a.name)) visit({ el, attr: a, spec: attrs[a.name] });
  });
}

function report(rule: PlatformRule, pos: Position, message: string): Diagnostic {
  return { ruleId: rule.id, level: "error", message, line: pos.line, col: pos.col, ...(rule.docs.length ? { source: rule.docs[0] } : {}) };
}

/** Reports a finding of the rule being checked at `pos`. */
export type Emit = (pos: Position, message: string) => void;

/**
 * A platform rule from its description and `find`, which emits each finding. Every platform rule is
 * an error (Bandwidth rejects the document) whose diagnostic links the rule's first public page.
 */
export function platformRule(r: Pick<PlatformRule, "id" | "docs" | "description"> & { find(root: BxmlElement, emit: Emit, ctx: AcceptanceContext): void }): PlatformRule {
  const rule: PlatformRule = {
    id: r.id,
    level: "error",
    docs: r.docs,
    description: r.description,
    check(root, ctx) {
      const out: Diagnostic[] = [];
      r.find(root, (pos, message) => out.push(report(rule, pos, message)), ctx);
      return out;
    },
  };
  return rule;
}

/** Position of the first non-whitespace text of `el`, else the element. */
export function textPos(el: BxmlElement): Position {
  for (const c of el.children) if (c.type === "text" && c.contentPos) return c.contentPos;
  return el.pos;
}

export function textNodes(el: BxmlElement): BxmlText[] {
  return el.children.filter((c): c is BxmlText => c.type === "text");
}

/** "A, B or C". */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}
