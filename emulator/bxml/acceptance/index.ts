// Platform acceptance: what Bandwidth rejects (the call would end with invalid-bxml), one rule per
// file, kept apart from the pitfall rules of suites/lint (what works but bites). The carrier runs
// checkAcceptance before executing a document; `bwemu lint` reports the same findings.
import type { Diagnostic, ParsedBxml } from "../model.js";
import attributeEnum from "./attribute-enum.js";
import attributeRange from "./attribute-range.js";
import attributeType from "./attribute-type.js";
import childCount from "./child-count.js";
import contextForbidden from "./context-forbidden.js";
import lengthLimit from "./length-limit.js";
import misplacedElement from "./misplaced-element.js";
import missingRequiredAttribute from "./missing-required-attribute.js";
import missingRequiredText from "./missing-required-text.js";
import textValue from "./text-value.js";
import type { AcceptanceContext, PlatformRule } from "./types.js";
import unexpectedText from "./unexpected-text.js";
import unknownElement from "./unknown-element.js";


export const platformRules: readonly PlatformRule[] = [
  unknownElement,
  misplacedElement,
  contextForbidden,
  missingRequiredAttribute,
  missingRequiredText,
  unexpectedText,
  attributeType,
  attributeRange,
  attributeEnum,
  lengthLimit,
  textValue,
  childCount,
];

/** Sort by line, column, then rule id (stable for equal keys). */
export function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.line - b.line || a.col - b.col || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}

/** Platform errors for a parsed document: parser diagnostics + every platform rule. Empty = the carrier executes it. */
export function checkAcceptance(doc: ParsedBxml, ctx: AcceptanceContext): Diagnostic[] {
  const out: Diagnostic[] = [...doc.diagnostics];
  // A document that did not parse, or is not BXML at all (wrong root), gets no BXML rules.
  if (!doc.root || out.some((d) => d.level === "error")) return out;
  for (const rule of platformRules) {
    let found: Diagnostic[];
    try {
      found = rule.check(doc.root, ctx);
    } catch (e) {
      found = [
        {
          ruleId: "bxml/internal-error",
          level: "error",
          message: `platform rule ${rule.id} failed unexpectedly (${e instanceof Error ? e.message : String(e)}); please report this document`,
          line: doc.root.pos.line,
          col: doc.root.pos.col,
        },
      ];
    }
    for (const d of found) {
      if (doc.file !== undefined && d.file === undefined) d.file = doc.file;
      out.push(d);
    }
  }
  return out.sort(byPosition);
}
