// parseBxml: raw input → located element tree, or located diagnostics. Never throws.
//
// Stages, each bounded and linear: input checks (size first, so a 20 MB body costs a 64 KB look;
// binary; UTF-8; BOM) → our tokenizer (positions, DOCTYPE refusal, depth limit, well-formedness)
// → optionally fast-xml-parser's XMLValidator as a second opinion (`crossCheck`) → root name.
// The tokenizer is checked against fast-xml-parser in test/parse.differential.test.ts.

import { XMLValidator } from "fast-xml-parser";
import { BANDWIDTH, STANDARDS } from "../references.js";
import type { BxmlElement, Diagnostic, ParsedBxml, Position } from "./model.js";
import { checkInput } from "./parser/input.js";
import { LineTable } from "./parser/lines.js";
import { buildTree } from "./parser/tree.js";
import { htmlPageAt } from "../webhooks/sniff.js";

export { MAX_DOCUMENT_BYTES } from "./parser/input.js";
export { MAX_DEPTH } from "./parser/tree.js";

/** Root element names Bandwidth accepts (spec §1.1). */
export const ROOT_NAMES: readonly string[] = ["Response", "Bxml"];

const BXML = BANDWIDTH.bxml;
const XML = STANDARDS.xml;
/** Public pages per parser diagnostic. */
const DOCS: Readonly<Record<string, readonly string[]>> = {
  "bxml/not-well-formed": [XML, BXML], // XML 1.0; bandwidth.md §8 row 1
  "bxml/empty-document": [BXML], // bandwidth.md §1.1, §8 row 2
  "bxml/not-text": [BXML], // bandwidth.md §1.1, §8 row 2
  "bxml/invalid-utf8": [XML], // XML 1.0 §4.3.3; bandwidth.md §6.2
  "bxml/doctype": [XML], // bwemu security policy (no entity expansion); bandwidth.md §8 row 1
  "bxml/too-deep": [BXML], // bwemu resource limit; bandwidth.md §2.0 (BXML nests at most 4 levels)
  "bxml/document-too-large": [BXML], // bandwidth.md §1.3, OPEN-2
  "bxml/wrong-root": [BXML], // bandwidth.md §1.1, ED-8
};

const DESCRIPTION: Readonly<Record<string, string>> = {
  "bxml/not-well-formed": "The document is not well-formed XML (located, with what to fix).",
  "bxml/empty-document": "The document is empty, only whitespace, or has no root element.",
  "bxml/not-text": "The input is binary data (NUL bytes, an image, audio, an archive, UTF-16), not XML.",
  "bxml/invalid-utf8": "The input is not valid UTF-8 (located at the first bad byte).",
  "bxml/doctype": "A DOCTYPE (and any entity definition) is refused, never expanded.",
  "bxml/too-deep": `Elements nested deeper than ${64} levels.`,
  "bxml/document-too-large": "The document is larger than 64 KB (65 536 bytes).",
  "bxml/wrong-root": "The root element is neither <Response> nor <Bxml>.",
};

/** The diagnostics the parser itself can emit (all errors), for rule lists, SARIF and docs. */
export const parserRules: readonly { id: string; level: "error"; docs: readonly string[]; description: string }[] = Object.keys(DESCRIPTION).map((id) => ({
  id,
  level: "error",
  docs: DOCS[id],
  description: DESCRIPTION[id],
}));

export interface ParseOptions {
  /** File name copied onto every diagnostic. */
  file?: string;
  /**
   * Also ask fast-xml-parser's XMLValidator about documents our tokenizer accepts (default false).
   * Off by default: in the differential test (thousands of mutated documents) it never rejected
   * one we accept, and it costs 100+ ms on a 64 KB document with thousands of elements.
   */
  crossCheck?: boolean;
}

export function parseBxml(input: string | Uint8Array, opts: ParseOptions = {}): ParsedBxml {
  try {
    return parse(input, opts);
  } catch (e) {
    // A bug of ours must still not crash the caller or print a stack trace.
    const message = e instanceof Error ? e.message : String(e);
    return {
      source: typeof input === "string" ? input : "",
      bytes: typeof input === "string" ? Buffer.byteLength(input) : (input?.byteLength ?? 0),
      diagnostics: [diag("bxml/internal-error", `the BXML parser failed unexpectedly (${message}); please report this document`, { line: 1, col: 1, offset: 0 }, opts.file)],
      ...(opts.file !== undefined ? { file: opts.file } : {}),
    };
  }
}

function parse(input: string | Uint8Array, opts: ParseOptions): ParsedBxml {
  const file = opts.file;
  const withFile = file !== undefined ? { file } : {};
  if (typeof input !== "string" && !(input instanceof Uint8Array)) {
    return { source: "", bytes: 0, diagnostics: [diag("bxml/not-text", "input is neither text nor bytes", origin(), file)], ...withFile };
  }
  const checked = checkInput(input);
  const { text, bytes } = checked;
  const out: ParsedBxml = { source: text, bytes, diagnostics: [], ...withFile };
  if (checked.problem) {
    out.diagnostics.push(diag(checked.problem.ruleId, checked.problem.message, checked.problem.pos, file));
    return out;
  }
  if (text.trim() === "") {
    out.diagnostics.push(
      diag("bxml/empty-document", "the document is empty: reply with BXML such as <Response><Hangup/></Response>", origin(), file),
    );
    return out;
  }
  const lines = new LineTable(text);
  // An HTML error page (from a framework or a proxy) is not BXML, however it is written: said once,
  // where the page starts, instead of whatever its markup breaks first (a DOCTYPE, a `<br>`).
  const html = htmlPageAt(text);
  if (html !== undefined) {
    out.diagnostics.push(diag("bxml/wrong-root", HTML_PAGE, lines.pos(html), file));
    return out;
  }
  const tree = buildTree(text, lines);
  if (tree.problem) {
    out.diagnostics.push(diag(tree.problem.ruleId, tree.problem.message, lines.pos(tree.problem.offset), file));
    return out;
  }
  if (opts.crossCheck === true) {
    const v = XMLValidator.validate(text);
    if (v !== true) {
      const { line, col, msg } = v.err;
      out.diagnostics.push(diag("bxml/not-well-formed", `not well-formed XML: ${msg}`, { line, col, offset: -1 }, file));
      return out;
    }
  }
  out.root = tree.root;
  const wrongRoot = checkRoot(tree.root);
  if (wrongRoot) out.diagnostics.push(diag("bxml/wrong-root", wrongRoot, tree.root.pos, file));
  return out;
}

const HTML_PAGE = "not BXML (root `<html>`): the reply is an HTML page (an error page from a framework or proxy?); reply with <Response>…</Response>";

function checkRoot(root: BxmlElement): string | undefined {
  if (ROOT_NAMES.includes(root.name)) return undefined;
  const ci = ROOT_NAMES.find((r) => r.toLowerCase() === root.name.toLowerCase());
  if (ci) return `the root element must be <${ci}>, not <${root.name}>: element names are case-sensitive`;
  if (root.name.toLowerCase() === "html") return HTML_PAGE;
  return `<${root.name}> is not a BXML root: wrap the verbs in <Response>…</Response> (or <Bxml>…</Bxml>)`;
}

function origin(): Position {
  return { line: 1, col: 1, offset: 0 };
}

function diag(ruleId: string, message: string, pos: Position, file: string | undefined): Diagnostic {
  const d: Diagnostic = { ruleId, level: "error", message, line: pos.line, col: pos.col, ...(DOCS[ruleId] ? { source: DOCS[ruleId][0] } : {}) };
  if (file !== undefined) d.file = file;
  return d;
}
