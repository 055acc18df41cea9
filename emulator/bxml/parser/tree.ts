// The tokenizer: source text → element tree with positions. A single iterative pass (an explicit
// stack, no recursion), so nesting depth cannot overflow the call stack; it refuses a DOCTYPE the
// moment it meets one, so no entity is ever defined or expanded. It checks XML 1.0 well-formedness
// itself (names, quoting, references, nesting, one root) and stops at the first problem.

import type { BxmlComment, BxmlElement, BxmlText, Position } from "../model.js";
import { decodeXmlText, isXmlChar } from "./entities.js";
import type { LineTable } from "./lines.js";

/** Deepest nesting accepted; real BXML is 3–4 levels deep (root › Gather › SpeakSentence › SSML). */
export const MAX_DEPTH = 64;

export interface TreeProblem {
  ruleId: "bxml/not-well-formed" | "bxml/doctype" | "bxml/too-deep" | "bxml/empty-document";
  message: string;
  offset: number;
}

export type TreeResult = { root: BxmlElement; problem?: undefined } | { root?: undefined; problem: TreeProblem };

const NAME_START =
  ":A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}";
const NAME_CHAR = NAME_START + "\\-.0-9\\u00B7\\u0300-\\u036F\\u203F\\u2040";
/** XML 1.0 `Name`, sticky so it matches exactly at `lastIndex`. */
const NAME = new RegExp(`[${NAME_START}][${NAME_CHAR}]*`, "uy");
const XML_DECL =
  /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.[0-9]+\1([ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])[A-Za-z][A-Za-z0-9._-]*\3)?([ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(yes|no)\5)?[ \t\r\n]*\?>/;

class Stop extends Error {
  constructor(readonly problem: TreeProblem) {
    super(problem.message);
  }
}

function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** A run of character data (text and CDATA pieces) waiting to become one text node. */
interface PendingText {
  value: string;
  start: number;
  /** Offset of the first non-whitespace source character, -1 while none seen. */
  content: number;
}

export function buildTree(text: string, lines: LineTable): TreeResult {
  try {
    return { root: new Tokenizer(text, lines).run() };
  } catch (e) {
    if (e instanceof Stop) return { problem: e.problem };
    throw e;
  }
}

class Tokenizer {
  private i = 0;
  private readonly stack: BxmlElement[] = [];
  private root: BxmlElement | undefined;
  private rootClosed = false;
  private pending: PendingText | null = null;

  constructor(
    private readonly text: string,
    private readonly lines: LineTable,
  ) {}

  private fail(offset: number, message: string, ruleId: TreeProblem["ruleId"] = "bxml/not-well-formed"): never {
    throw new Stop({ ruleId, message, offset });
  }

  private pos(offset: number): Position {
    return this.lines.pos(offset);
  }

  run(): BxmlElement {
    const t = this.text;
    this.checkChars();
    if (t.startsWith("<?xml") && (isWs(t.charCodeAt(5)) || t.charCodeAt(5) === 63)) {
      const m = XML_DECL.exec(t);
      if (!m) {
        this.fail(0, `malformed XML declaration: write <?xml version="1.0" encoding="UTF-8"?>`);
      }
      this.i = m[0].length;
    }
    while (this.i < t.length) {
      const lt = t.indexOf("<", this.i);
      if (lt === -1) {
        this.characters(this.i, t.length);
        this.i = t.length;
        break;
      }
      if (lt > this.i) this.characters(this.i, lt);
      this.i = lt;
      const n = t.charCodeAt(lt + 1);
      if (n === 47 /* / */) this.endTag();
      else if (n === 33 /* ! */) this.markup();
      else if (n === 63 /* ? */) this.processingInstruction();
      else this.startTag();
    }
    if (this.stack.length > 0) {
      const open = this.stack[this.stack.length - 1];
      this.fail(open.pos.offset, `<${open.name}> is never closed: add </${open.name}> (the document ends first)`);
    }
    if (!this.root) {
      this.fail(t.length === 0 ? 0 : t.length, "the document has no root element: a BXML document is <Response>…</Response> (or <Bxml>)", "bxml/empty-document");
    }
    return this.root;
  }

  /** Characters XML does not allow anywhere (control characters, lone surrogates, U+FFFE/FFFF). */
  private checkChars(): void {
    const t = this.text;
    for (let k = 0; k < t.length; k++) {
      const c = t.charCodeAt(k);
      if (c >= 0x20 && c < 0xd800) continue;
      if (c === 9 || c === 10 || c === 13) continue;
      if (c >= 0xd800 && c <= 0xdbff) {
        const d = t.charCodeAt(k + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          k++;
          continue;
        }
        this.fail(k, "unpaired UTF-16 surrogate: the text is not valid Unicode");
      }
      if (c >= 0xdc00 && c <= 0xdfff) this.fail(k, "unpaired UTF-16 surrogate: the text is not valid Unicode");
      if (!isXmlChar(c)) {
        this.fail(k, `character U+${c.toString(16).toUpperCase().padStart(4, "0")} is not allowed in XML (not even as a reference)`);
      }
    }
  }

  private characters(start: number, end: number): void {
    const t = this.text;
    if (this.stack.length === 0) {
      for (let k = start; k < end; k++) {
        if (!isWs(t.charCodeAt(k))) {
          this.fail(
            k,
            this.root
              ? `text after the end of the root element </${this.root.name}>: a document holds exactly one root element`
              : "text before the root element: the document must start with <?xml …?> or <Response>",
          );
        }
      }
      return;
    }
    const cdataEnd = this.nextCdataEnd(start);
    if (cdataEnd !== -1 && cdataEnd < end) this.fail(cdataEnd, "`]]>` is not allowed in text: write `]]&gt;`");
    const decoded = decodeXmlText(t, start, end, false);
    if ("error" in decoded) this.fail(decoded.error.offset, decoded.error.message);
    this.addText(decoded.value, start, start, end);
  }

  private addText(value: string, start: number, rawStart: number, rawEnd: number): void {
    let content = -1;
    const p = this.pending;
    if (!p || p.content === -1) {
      for (let k = rawStart; k < rawEnd; k++) {
        if (!isWs(this.text.charCodeAt(k))) {
          content = k;
          break;
        }
      }
    }
    if (p) {
      p.value += value;
      if (p.content === -1) p.content = content;
    } else this.pending = { value, start, content };
  }

  private flushText(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    const node: BxmlText = { type: "text", value: p.value, pos: this.pos(p.start) };
    if (p.content !== -1) node.contentPos = this.pos(p.content);
    this.stack[this.stack.length - 1].children.push(node);
  }

  /** Index of the first `<` at or after `from` (-1: none), memoised so scanning stays linear. */
  private nextLt = -2;
  private nextLessThan(from: number): number {
    if (this.nextLt === -1) return -1;
    if (this.nextLt < from) this.nextLt = this.text.indexOf("<", from);
    return this.nextLt;
  }

  /** Index of the first `]]>` at or after `from` (-1: none), memoised like nextLessThan. */
  private nextCde = -2;
  private nextCdataEnd(from: number): number {
    if (this.nextCde === -1) return -1;
    if (this.nextCde < from) this.nextCde = this.text.indexOf("]]>", from);
    return this.nextCde;
  }

  private readName(at: number): string | undefined {
    NAME.lastIndex = at;
    const m = NAME.exec(this.text);
    return m ? m[0] : undefined;
  }

  private skipWs(): number {
    const start = this.i;
    while (this.i < this.text.length && isWs(this.text.charCodeAt(this.i))) this.i++;
    return this.i - start;
  }

  private startTag(): void {
    const t = this.text;
    const lt = this.i;
    const name = this.readName(lt + 1);
    if (name === undefined) {
      const c = t[lt + 1];
      this.fail(
        lt,
        c === undefined || isWs(t.charCodeAt(lt + 1))
          ? "`<` must be followed directly by an element name (write `&lt;` for a literal less-than sign)"
          : `\`<${c}\` does not start an element name (write \`&lt;\` for a literal less-than sign)`,
      );
    }
    this.i = lt + 1 + name.length;
    const el: BxmlElement = { type: "element", name, pos: this.pos(lt), attrs: [], children: [], selfClosing: false };
    let seen: Set<string> | undefined;
    for (;;) {
      const ws = this.skipWs();
      const c = t.charCodeAt(this.i);
      if (c === 62 /* > */) {
        this.i++;
        break;
      }
      if (c === 47 /* / */) {
        if (t.charCodeAt(this.i + 1) !== 62) this.fail(this.i, `expected \`/>\` to end the start tag of <${name}>`);
        this.i += 2;
        el.selfClosing = true;
        break;
      }
      if (this.i >= t.length) this.fail(lt, `the start tag <${name} is never finished (missing \`>\`)`);
      const attrName = this.readName(this.i);
      if (attrName === undefined) {
        const ch = String.fromCodePoint(t.codePointAt(this.i) ?? 0);
        this.fail(
          this.i,
          ch === "<"
            ? `the start tag <${name} is never finished (missing \`>\` before this \`<\`)`
            : `unexpected \`${ch}\` in the start tag of <${name}>: expected an attribute name, \`>\` or \`/>\``,
        );
      }
      if (ws === 0) {
        const prev = el.attrs[el.attrs.length - 1];
        this.fail(
          this.i,
          prev
            ? `expected whitespace before \`${attrName}\`: the value of \`${prev.name}\` ends at the quote just before it (is a quote missing or doubled?)`
            : `expected whitespace before \`${attrName}\``,
        );
      }
      const nameAt = this.i;
      this.i += attrName.length;
      this.skipWs();
      if (t.charCodeAt(this.i) !== 61 /* = */) {
        this.fail(this.i, `attribute \`${attrName}\` has no value: write ${attrName}="…"`);
      }
      this.i++;
      this.skipWs();
      const q = t[this.i];
      if (q !== '"' && q !== "'") this.fail(this.i, `the value of attribute \`${attrName}\` must be in quotes: ${attrName}="…"`);
      const close = t.indexOf(q, this.i + 1);
      const lt2 = this.nextLessThan(this.i + 1);
      if (close === -1) this.fail(this.i, `the value of attribute \`${attrName}\` is never closed (missing ${q})`);
      if (lt2 !== -1 && lt2 < close) {
        this.fail(lt2, `\`<\` is not allowed in an attribute value (write \`&lt;\`), or the value of \`${attrName}\` is missing its closing quote`);
      }
      const decoded = decodeXmlText(t, this.i + 1, close, true);
      if ("error" in decoded) this.fail(decoded.error.offset, decoded.error.message);
      if (seen ? seen.has(attrName) : el.attrs.some((a) => a.name === attrName)) this.fail(nameAt, `attribute \`${attrName}\` appears twice on <${name}>`);
      // Many attributes: switch to a set so a hostile tag stays linear.
      if (seen) seen.add(attrName);
      else if (el.attrs.length >= 16) seen = new Set([...el.attrs.map((a) => a.name), attrName]);
      el.attrs.push({ name: attrName, value: decoded.value, pos: this.pos(nameAt), valuePos: this.pos(this.i + 1) });
      this.i = close + 1;
    }
    this.open(el, lt);
  }

  private open(el: BxmlElement, lt: number): void {
    if (this.stack.length === 0) {
      if (this.rootClosed && this.root) {
        this.fail(lt, `<${el.name}> after the end of the root element </${this.root.name}>: a document holds exactly one root element`);
      }
      this.root = el;
      if (el.selfClosing) this.rootClosed = true;
      else this.stack.push(el);
      return;
    }
    if (this.stack.length >= MAX_DEPTH) {
      this.fail(lt, `elements are nested more than ${MAX_DEPTH} deep: BXML is never deeper than a few levels`, "bxml/too-deep");
    }
    this.flushText();
    this.stack[this.stack.length - 1].children.push(el);
    if (!el.selfClosing) this.stack.push(el);
  }

  private endTag(): void {
    const t = this.text;
    const lt = this.i;
    const name = this.readName(lt + 2);
    if (name === undefined) this.fail(lt, "`</` must be followed directly by the element name");
    this.i = lt + 2 + name.length;
    this.skipWs();
    if (t.charCodeAt(this.i) !== 62) this.fail(this.i, `expected \`>\` to end \`</${name}\``);
    this.i++;
    const top = this.stack[this.stack.length - 1];
    if (!top) this.fail(lt, `\`</${name}>\` closes an element that was never opened`);
    if (top.name !== name) {
      const p = top.pos;
      this.fail(lt, `\`</${name}>\` does not match <${top.name}> opened at line ${p.line}, col ${p.col}: close it with </${top.name}> first`);
    }
    this.flushText();
    this.stack.pop();
    if (this.stack.length === 0) this.rootClosed = true;
  }

  private markup(): void {
    const t = this.text;
    const at = this.i;
    if (t.startsWith("<!--", at)) {
      const end = t.indexOf("-->", at + 4);
      if (end === -1) this.fail(at, "comment is never closed (missing `-->`)");
      const value = t.slice(at + 4, end);
      const dd = value.indexOf("--");
      if (dd !== -1) this.fail(at + 4 + dd, "`--` is not allowed inside a comment");
      if (value.endsWith("-")) this.fail(end - 1, "a comment may not end with `--->`");
      this.i = end + 3;
      if (this.stack.length > 0) {
        this.flushText();
        const node: BxmlComment = { type: "comment", value, pos: this.pos(at) };
        this.stack[this.stack.length - 1].children.push(node);
      }
      return;
    }
    if (t.startsWith("<![CDATA[", at)) {
      if (this.stack.length === 0) this.fail(at, "a CDATA section may only appear inside an element");
      const end = t.indexOf("]]>", at + 9);
      if (end === -1) this.fail(at, "CDATA section is never closed (missing `]]>`)");
      const raw = t.slice(at + 9, end);
      const value = raw.indexOf("\r") === -1 ? raw : raw.replace(/\r\n?/g, "\n");
      this.addText(value, at, at + 9, end);
      this.i = end + 3;
      return;
    }
    if (/^<!DOCTYPE/i.test(t.slice(at, at + 9))) {
      this.fail(
        at,
        "DOCTYPE is not allowed in BXML: document type declarations (and the entities they define) are refused, never expanded; remove it",
        "bxml/doctype",
      );
    }
    this.fail(at, "`<!` must start a comment `<!-- … -->` or a CDATA section `<![CDATA[ … ]]>`");
  }

  private processingInstruction(): void {
    const t = this.text;
    const at = this.i;
    const target = this.readName(at + 2);
    if (target === undefined) this.fail(at, "`<?` must be followed by a processing-instruction name");
    if (target.toLowerCase() === "xml") {
      this.fail(
        at,
        at === 0
          ? `malformed XML declaration: write <?xml version="1.0" encoding="UTF-8"?>`
          : "the XML declaration <?xml …?> must be the very first thing in the document: remove what comes before it (often a newline or spaces from a template)",
      );
    }
    const end = t.indexOf("?>", at + 2 + target.length);
    if (end === -1) this.fail(at, "processing instruction is never closed (missing `?>`)");
    const after = t.charCodeAt(at + 2 + target.length);
    if (end !== at + 2 + target.length && !isWs(after)) this.fail(at + 2 + target.length, "expected whitespace after the processing-instruction name");
    this.i = end + 2;
  }
}
