// Bad input is the normal case: each gives one located diagnostic, never a throw or a stack trace.
// (Timing is benchmarked elsewhere; these tests only assert the outcome.)
import { describe, expect, it } from "vitest";
import { checkAcceptance } from "../acceptance/index.js";
import { MAX_DEPTH, MAX_DOCUMENT_BYTES, parseBxml, parserRules } from "../parse.js";

function only(input: string | Uint8Array, file?: string) {
  let doc!: ReturnType<typeof parseBxml>;
  expect(() => {
    doc = parseBxml(input, file !== undefined ? { file } : {});
  }).not.toThrow();
  expect(doc.root).toBeUndefined();
  expect(doc.diagnostics).toHaveLength(1);
  const d = doc.diagnostics[0];
  expect(d.level).toBe("error");
  expect(d.message).not.toMatch(/\n\s+at /); // no stack trace
  expect(d.source).toBeTruthy();
  // Acceptance returns the parser's finding unchanged.
  expect(checkAcceptance(doc, { context: "initiate" })).toEqual(doc.diagnostics);
  return { doc, d };
}

describe("bad input", () => {
  it("empty input and whitespace only", () => {
    for (const input of ["", "   \n\t ", new Uint8Array(0), "\uFEFF"]) {
      const { d } = only(input);
      expect([d.ruleId, d.line, d.col]).toEqual(["bxml/empty-document", 1, 1]);
    }
  });

  it("a declaration or comment with no root element", () => {
    const { d } = only(`<?xml version="1.0"?>\n<!-- nothing -->\n`);
    expect(d.ruleId).toBe("bxml/empty-document");
    expect(d.line).toBe(3);
  });

  it("not XML: JSON, plain text, HTML error page", () => {
    expect(only(`{"bxml": "<Response/>"}`).d).toMatchObject({ ruleId: "bxml/not-well-formed", line: 1, col: 1 });
    expect(only(`OK`).d).toMatchObject({ ruleId: "bxml/not-well-formed", line: 1, col: 1 });
    const html = parseBxml(`<html><body><h1>502 Bad Gateway</h1></body></html>`);
    expect(html.diagnostics).toHaveLength(1);
    expect(html.diagnostics[0]).toMatchObject({ ruleId: "bxml/wrong-root", line: 1, col: 1 });
    expect(html.diagnostics[0].message).toMatch(/HTML/);
    expect(checkAcceptance(html, { context: "initiate" })).toEqual(html.diagnostics);
  });

  it("wrong root in the wrong case suggests the right one", () => {
    const doc = parseBxml(`<response><Hangup/></response>`);
    expect(doc.diagnostics[0]).toMatchObject({ ruleId: "bxml/wrong-root" });
    expect(doc.diagnostics[0].message).toMatch(/<Response>/);
  });

  it("a binary file: PNG header, NUL bytes, random bytes", () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    const p = only(png).d;
    expect([p.ruleId, p.line, p.col]).toEqual(["bxml/not-text", 1, 1]);
    expect(p.message).toMatch(/PNG/);
    const nul = only(new TextEncoder().encode("<Response>\n  <Hangup/>\u0000</Response>")).d;
    expect([nul.ruleId, nul.line, nul.col]).toEqual(["bxml/not-text", 2, 12]);
    expect(only("<Response>\u0000</Response>").d).toMatchObject({ ruleId: "bxml/not-text", line: 1, col: 11 });
    // Deterministic pseudo-random bytes (seeded), several sizes.
    let seed = 42;
    for (const size of [1, 7, 100, 4096]) {
      const bytes = new Uint8Array(size).map(() => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 16) & 0xff);
      const { d } = only(bytes);
      expect(["bxml/not-text", "bxml/invalid-utf8", "bxml/not-well-formed", "bxml/empty-document"]).toContain(d.ruleId);
      expect(d.line).toBeGreaterThanOrEqual(1);
      expect(d.col).toBeGreaterThanOrEqual(1);
    }
  });

  it("UTF-16 input is named as such", () => {
    const { d } = only(new Uint8Array([0xff, 0xfe, 0x3c, 0x00, 0x52, 0x00]));
    expect(d.ruleId).toBe("bxml/not-text");
    expect(d.message).toMatch(/UTF-16/);
  });

  it("invalid UTF-8 points at the first bad byte", () => {
    const enc = new TextEncoder();
    const latin1 = new Uint8Array([...enc.encode("<Response>\n  <SpeakSentence>caf"), 0xe9, ...enc.encode("</SpeakSentence>\n</Response>")]);
    const { d } = only(latin1);
    expect([d.ruleId, d.line, d.col]).toEqual(["bxml/invalid-utf8", 2, 21]);
    expect(d.message).toMatch(/Latin-1|1252/);
    // Overlong encoding, lone continuation byte, truncated sequence at the end, encoded surrogate.
    for (const [bytes, col] of [
      [[0x3c, 0xc0, 0xaf], 2],
      [[0x3c, 0x52, 0x80], 3],
      [[0x3c, 0x52, 0xe2, 0x82], 3],
      [[0x3c, 0xed, 0xa0, 0x80], 2],
    ] as const) {
      const r = only(new Uint8Array(bytes)).d;
      expect([r.ruleId, r.line, r.col]).toEqual(["bxml/invalid-utf8", 1, col]);
    }
  });

  it("a BOM is accepted and stripped", () => {
    const doc = parseBxml(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode("<Response/>")]));
    expect(doc.diagnostics).toEqual([]);
    expect(doc.root!.name).toBe("Response");
  });

  it("DOCTYPE with entity definitions (billion laughs) is refused, never expanded", () => {
    const lol = [
      `<?xml version="1.0"?>`,
      `<!DOCTYPE lolz [`,
      ` <!ENTITY lol "lol">`,
      ...Array.from({ length: 9 }, (_, k) => ` <!ENTITY lol${k + 1} "${`&lol${k === 0 ? "" : k};`.repeat(10)}">`),
      `]>`,
      `<Response><SpeakSentence>&lol9;</SpeakSentence></Response>`,
    ].join("\n");
    const { d } = only(lol);
    expect([d.ruleId, d.line, d.col]).toEqual(["bxml/doctype", 2, 1]);
    // External entity (XXE) and a lower-case doctype too.
    expect(only(`<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><Response>&x;</Response>`).d.ruleId).toBe("bxml/doctype");
    expect(only(`<Response><!doctype x></Response>`).d.ruleId).toBe("bxml/doctype");
  });

  it("10 000-deep nesting is refused at the first element past the limit", () => {
    // 10 000 unclosed levels fit in 64 KB: the depth limit speaks, without recursion.
    const deep = "<Response>" + "<p>".repeat(10_000);
    const { d } = only(deep);
    expect(d.ruleId).toBe("bxml/too-deep");
    expect([d.line, d.col]).toEqual([1, "<Response>".length + (MAX_DEPTH - 1) * "<p>".length + 1]);
    const closed = "<Response>" + "<s>".repeat(5_000) + "</s>".repeat(5_000) + "</Response>";
    expect(only(closed).d.ruleId).toBe("bxml/too-deep");
    // 10 000 closed levels exceed 64 KB: the size check refuses them first, without reading them.
    const big = "<Response>" + "<s>".repeat(10_000) + "</s>".repeat(10_000) + "</Response>";
    expect(only(big).d.ruleId).toBe("bxml/document-too-large");
    // Far deeper than any stack: 100 000 levels, as bytes.
    expect(only(new TextEncoder().encode("<a>".repeat(100_000))).d.ruleId).toBe("bxml/document-too-large");
  });

  it("exactly the depth limit is fine", () => {
    const ok = "<Response>" + "<p>".repeat(MAX_DEPTH - 1) + "</p>".repeat(MAX_DEPTH - 1) + "</Response>";
    expect(parseBxml(ok).diagnostics).toEqual([]);
  });

  it("a 20 MB document is refused as too large (string and bytes)", () => {
    const big = "<Response>" + "<Pause/>".repeat((20 * 1024 * 1024) / 8) + "</Response>";
    const s = only(big, "big.xml");
    expect(s.d).toMatchObject({ ruleId: "bxml/document-too-large", line: 1, col: MAX_DOCUMENT_BYTES + 1, file: "big.xml" });
    expect(s.d.message).toMatch(/65,536/);
    expect(s.doc.bytes).toBe(big.length);
    const b = only(new TextEncoder().encode(big));
    expect(b.d).toMatchObject({ ruleId: "bxml/document-too-large", line: 1, col: MAX_DOCUMENT_BYTES + 1 });
    expect(b.doc.source.length).toBeLessThanOrEqual(MAX_DOCUMENT_BYTES);
  });

  it("the size limit is 65 536 bytes exactly, counted in UTF-8", () => {
    const pad = (n: number) => `<Response><Tag>${"x".repeat(n - "<Response><Tag></Tag></Response>".length)}</Tag></Response>`;
    expect(parseBxml(pad(MAX_DOCUMENT_BYTES)).diagnostics).toEqual([]);
    expect(parseBxml(pad(MAX_DOCUMENT_BYTES + 1)).diagnostics[0].ruleId).toBe("bxml/document-too-large");
    // 3-byte characters: 22 000 × "日" = 66 000 bytes although only 22 000 UTF-16 units.
    const cjk = `<Response><Tag>${"日".repeat(22_000)}</Tag></Response>`;
    expect(parseBxml(cjk).diagnostics[0].ruleId).toBe("bxml/document-too-large");
  });

  it("control characters and lone surrogates are located", () => {
    expect(only("<Response>\n\u0007</Response>").d).toMatchObject({ ruleId: "bxml/not-well-formed", line: 2, col: 1 });
    expect(only("<Response>\uD800</Response>").d).toMatchObject({ ruleId: "bxml/not-well-formed", line: 1, col: 11 });
    expect(only("<Response>&#0;</Response>").d).toMatchObject({ ruleId: "bxml/not-well-formed", line: 1, col: 11 });
  });

  it("well-formedness errors of every kind are located and explained", () => {
    const cases: [string, number, number, RegExp][] = [
      [`<Response><Pause duration="1"></Response>`, 1, 31, /does not match <Pause>/],
      [`<Response>`, 1, 1, /never closed/],
      [`</Response>`, 1, 1, /never opened/],
      [`<Response><Pause duration='1/></Response>`, 1, 27, /missing its closing quote|never closed/],
      [`<Response><Pause duration/></Response>`, 1, 26, /no value/],
      [`<Response><Pause duration=1/></Response>`, 1, 27, /quotes/],
      [`<Response><SpeakSentence>a < b</SpeakSentence></Response>`, 1, 28, /&lt;/],
      [`<Response><!-- a -- b --></Response>`, 1, 18, /--/],
      [`<Response><!-- open</Response>`, 1, 11, /comment is never closed/],
      [`<Response><![CDATA[x</Response>`, 1, 11, /CDATA/],
      [`<Response>]]></Response>`, 1, 11, /]]>/],
      [`<Response><?xml version="1.0"?></Response>`, 1, 11, /very first/],
      [`<Response></Response>trailing`, 1, 22, /after the end/],
      [`junk<Response/>`, 1, 1, /before the root/],
      [`<?xml version=1.0?><Response/>`, 1, 1, /declaration/],
      [`<Response><1Pause/></Response>`, 1, 11, /element name/],
      [`<Response><Pause duration="1" duration="2"/></Response>`, 1, 31, /twice/],
    ];
    for (const [src, line, col, msg] of cases) {
      const { d } = only(src);
      expect(d.ruleId, src).toBe("bxml/not-well-formed");
      expect([d.line, d.col], src).toEqual([line, col]);
      expect(d.message, src).toMatch(msg);
    }
  });

  it("never throws on inputs that are not strings or bytes (JavaScript callers)", () => {
    for (const weird of [undefined, null, 42, {}, ["<Response/>"]]) {
      const doc = parseBxml(weird as unknown as string);
      expect(doc.diagnostics[0].ruleId).toBe("bxml/not-text");
    }
  });

  it("copies the file name onto parser diagnostics", () => {
    const doc = parseBxml("<Response>", { file: "answer.xml" });
    expect(doc.file).toBe("answer.xml");
    expect(doc.diagnostics[0].file).toBe("answer.xml");
  });

  it("parserRules lists every id the parser emits, with a public page", () => {
    expect(parserRules.map((r) => r.id).sort()).toEqual(
      ["bxml/document-too-large", "bxml/doctype", "bxml/empty-document", "bxml/invalid-utf8", "bxml/not-text", "bxml/not-well-formed", "bxml/too-deep", "bxml/wrong-root"].sort(),
    );
    for (const r of parserRules) expect(r.docs.length, r.id).toBeGreaterThan(0);
  });

  it("crossCheck asks fast-xml-parser too, and agrees on good and bad documents", () => {
    expect(parseBxml(`<?xml version="1.0"?>\n<Response><Pause duration="1"/></Response>`, { crossCheck: true }).diagnostics).toEqual([]);
    expect(parseBxml(`<Response><Pause></Response>`, { crossCheck: true }).diagnostics[0].ruleId).toBe("bxml/not-well-formed");
  });
});
