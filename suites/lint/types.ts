// The contract of a pitfall rule: a pure check over a parsed, well-formed BXML tree. Platform rules
// (what Bandwidth rejects) live in emulator/bxml/acceptance; these are what works but bites
// (conformance.md "Lint rules → Pitfall rules").
import type { BxmlContext, BxmlElement, Diagnostic, Level } from "../../emulator/bxml/model.js";

export interface LintContext {
  /** Where the document runs (§2.30). */
  context: BxmlContext;
  /** The URL the document was (or will be) served from; relative URLs resolve against it (§1.5). */
  baseUrl?: string;
  /** File name, when linting a file. */
  file?: string;
}

export interface PitfallRule {
  /** Stable id, `area/what`. Never renamed. */
  id: string;
  /** Default level; a rule may emit a lower level for a milder variant (said in its description). */
  level: Level;
  /** Bandwidth's public pages the rule rests on (the spec sections stay in a comment in the rule's file). */
  docs: readonly string[];
  /** One line: what the rule looks for. */
  description: string;
  check(root: BxmlElement, ctx: LintContext): Diagnostic[];
}
