// The BXML document model: what the parser produces, the catalogue describes, the linter judges
// and the carrier executes. Positions are 1-based line and column (columns count UTF-16 code units
// of the decoded text, as editors do) plus a 0-based character offset.

export interface Position {
  line: number;
  col: number;
  offset: number;
}

export interface BxmlAttribute {
  name: string;
  /** Value after XML entity decoding (`&amp;` → `&`). */
  value: string;
  /** Position of the attribute name. */
  pos: Position;
  /** Position of the first character of the value (inside the quotes). */
  valuePos: Position;
}

export interface BxmlText {
  type: "text";
  /** Decoded text (entities and CDATA resolved), untrimmed. */
  value: string;
  pos: Position;
  /** Position of the first non-whitespace source character, when the text has any (added by the parser owner). */
  contentPos?: Position;
}

export interface BxmlComment {
  type: "comment";
  value: string;
  pos: Position;
}

export interface BxmlElement {
  type: "element";
  name: string;
  /** Position of the `<`. */
  pos: Position;
  attrs: BxmlAttribute[];
  /** Children in document order, including whitespace-only text and comments. */
  children: BxmlNode[];
  selfClosing: boolean;
}

export type BxmlNode = BxmlElement | BxmlText | BxmlComment;

export type Level = "error" | "warning" | "info";

/** One finding about a document. Every producer (parser, catalogue checks, rules) emits these. */
export interface Diagnostic {
  /** Stable rule id, e.g. `bxml/unknown-element`, `stream/no-keepalive`. */
  ruleId: string;
  level: Level;
  /** What is wrong and what to do about it. */
  message: string;
  line: number;
  col: number;
  /** The public page the rule rests on (Bandwidth's docs), when it has one; its bwemu page is derived from `ruleId`. */
  source?: string;
  /** File the document came from, when linted from a file. */
  file?: string;
}

export interface ParsedBxml {
  /** The original text (after BOM removal). */
  source: string;
  /** UTF-8 size in bytes of the original input. */
  bytes: number;
  /** The root element, absent when the document is not well-formed or empty. */
  root?: BxmlElement;
  /** Well-formedness and input problems (not BXML rules). */
  diagnostics: Diagnostic[];
  /** The `file` given to the parser, copied onto every diagnostic about this document. */
  file?: string;
}

/** Where a document runs (spec §2.30). `initiate` covers every ordinary call document. */
export type BxmlContext = "initiate" | "transferAnswer" | "conference";

// ---- helpers every consumer needs ----

export function attr(el: BxmlElement, name: string): BxmlAttribute | undefined {
  return el.attrs.find((a) => a.name === name);
}

export function attrValue(el: BxmlElement, name: string): string | undefined {
  return attr(el, name)?.value;
}

export function childElements(el: BxmlElement): BxmlElement[] {
  return el.children.filter((c): c is BxmlElement => c.type === "element");
}

/** Concatenated text of the element's direct text children (comments skipped). */
export function textContent(el: BxmlElement): string {
  return el.children
    .filter((c): c is BxmlText => c.type === "text")
    .map((c) => c.value)
    .join("");
}
