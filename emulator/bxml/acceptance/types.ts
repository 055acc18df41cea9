// The shape of a platform rule: something Bandwidth rejects (the call would end with invalid-bxml).
import type { BxmlContext, BxmlElement, Diagnostic } from "../model.js";

export interface AcceptanceContext {
  /** Where the document runs (§2.30). */
  context: BxmlContext;
  /** The URL that served the document; relative URLs must resolve against it (§1.5). */
  baseUrl?: string;
}

export interface PlatformRule {
  /** Stable id, `bxml/…`. */
  id: string;
  level: "error";
  /** Bandwidth's public pages the rule rests on (the spec sections stay in a comment in the rule's file). */
  docs: readonly string[];
  description: string;
  check(root: BxmlElement, ctx: AcceptanceContext): Diagnostic[];
}
