// Small helpers shared by the pitfall rules: walking the tree, making located diagnostics, and the
// URL / stream facts several rules need. Pure functions only.
import { attr, attrValue, childElements, textContent } from "../../emulator/bxml/model.js";
import type { BxmlAttribute, BxmlElement, Diagnostic, Level, Position } from "../../emulator/bxml/model.js";
import { attributeSpec, attributesFor, getSpec } from "../../emulator/bxml/catalogue/index.js";
import type { AttributeSpec, ElementSpec } from "../../emulator/bxml/spec.js";
import type { LintContext, PitfallRule } from "./types.js";
import { elementVisits } from "../../emulator/bxml/tree.js";

export { attr, attrValue, childElements, textContent, getSpec, attributesFor, attributeSpec };
export { isRelative, resolveUrl, schemeOf } from "../../emulator/bxml/urls.js";
export { nameOf } from "../../emulator/bxml/values.js";
export type { BxmlAttribute, BxmlElement, Diagnostic, ElementSpec };

/** A diagnostic of `rule` at `pos`. */
function report(rule: PitfallRule, pos: Position, message: string, level: Level = rule.level): Diagnostic {
  return { ruleId: rule.id, level, message, line: pos.line, col: pos.col, ...(rule.docs.length ? { source: rule.docs[0] } : {}) };
}

/** Reports a finding of the rule being checked at `pos`, at the rule's level unless `level` says. */
export type Emit = (pos: Position, message: string, level?: Level) => void;

/** A pitfall rule from its description and `find`, which emits each finding. */
export function pitfallRule(r: Omit<PitfallRule, "check"> & { find(root: BxmlElement, emit: Emit, ctx: LintContext): void }): PitfallRule {
  const rule: PitfallRule = {
    id: r.id,
    level: r.level,
    docs: r.docs,
    description: r.description,
    check(root, ctx) {
      const out: Diagnostic[] = [];
      r.find(root, (pos, message, level) => out.push(report(rule, pos, message, level)), ctx);
      return out;
    },
  };
  return rule;
}

/** Depth-first, document order; `visit` gets each element with its parent (undefined for the root). */
export function walk(root: BxmlElement, visit: (el: BxmlElement, parent: BxmlElement | undefined) => void): void {
  for (const v of elementVisits(root)) visit(v.el, v.parent);
}

/** Every catalogued element below the root, with its spec and each attribute's spec (undefined: not catalogued there). */
export function walkSpecs(root: BxmlElement, visit: (el: BxmlElement, spec: ElementSpec, attrs: { a: BxmlAttribute; as: AttributeSpec | undefined }[]) => void): void {
  for (const { el, parent, spec } of elementVisits(root)) {
    if (parent && spec) visit(el, spec, el.attrs.map((a) => ({ a, as: attributeSpec(spec, a.name, parent.name) })));
  }
}

/** The verbs of the document: the root's element children, in order. */
export function verbs(root: BxmlElement): BxmlElement[] {
  return childElements(root);
}

/** Streamed-track weight of `tracks` (§3.4): inbound/outbound 1, both 2; the default is inbound. */
export function trackWeight(el: BxmlElement): number {
  return (attrValue(el, "tracks") ?? "inbound").trim().toLowerCase() === "both" ? 2 : 1;
}

/** Where an element is in words, for messages: `<Redirect> at line 4`. */
export function where(el: BxmlElement): string {
  return `<${el.name}> at line ${el.pos.line}`;
}

/** Attributes of `spec` with the given types. */
export function attrsOfType(spec: ElementSpec, ...types: string[]): string[] {
  return Object.entries(spec.attributes)
    .filter(([, a]) => types.includes(a.type))
    .map(([n]) => n);
}
