// Positions of elements, attributes, values and text across quirky formatting: CRLF, lone CR,
// tabs, multi-line tags and values, comments, CDATA, entities, astral characters, BOM.
import { describe, expect, it } from "vitest";
import { parseBxml } from "../parse.js";
import { childElements, type BxmlElement, type BxmlText, type Position } from "../model.js";

function lc(p: Position): [number, number] {
  return [p.line, p.col];
}
function root(src: string | Uint8Array): BxmlElement {
  const doc = parseBxml(src);
  expect(doc.diagnostics).toEqual([]);
  return doc.root!;
}
function text(el: BxmlElement): BxmlText {
  return el.children.find((c): c is BxmlText => c.type === "text" && c.value.trim() !== "")!;
}

describe("positions", () => {
  const src = [
    `<?xml version="1.0"?>`,
    `<Response>`,
    `\t<!-- hi -->`,
    `\t<SpeakSentence`,
    `\t\tvoice="julie"`,
    `\t\tlocale = 'en_US'>😀 Hi &amp; <![CDATA[<b>]]></SpeakSentence>`,
    `  <StartStream destination="wss://a/b?x=1&amp;y=2" name="n&#x1F600;z"/>`,
    `</Response>`,
  ].join("\r\n");

  it("places elements, attribute names, values and text (CRLF, tabs, astral characters)", () => {
    const r = root(src);
    expect(lc(r.pos)).toEqual([2, 1]);
    const comment = r.children.find((c) => c.type === "comment")!;
    expect(lc(comment.pos)).toEqual([3, 2]);
    expect(comment.value).toBe(" hi ");
    const [speak, stream] = childElements(r);
    expect(lc(speak.pos)).toEqual([4, 2]);
    expect(speak.attrs.map((a) => [a.name, a.value, ...lc(a.pos), ...lc(a.valuePos)])).toEqual([
      ["voice", "julie", 5, 3, 5, 10],
      ["locale", "en_US", 6, 3, 6, 13],
    ]);
    const t = text(speak);
    expect(t.value).toBe("😀 Hi & <b>");
    expect(lc(t.pos)).toEqual([6, 20]);
    expect(lc(t.contentPos!)).toEqual([6, 20]);
    expect(lc(stream.pos)).toEqual([7, 3]);
    expect(stream.selfClosing).toBe(true);
    expect(stream.attrs.map((a) => [a.name, a.value, ...lc(a.pos), ...lc(a.valuePos)])).toEqual([
      ["destination", "wss://a/b?x=1&y=2", 7, 16, 7, 29],
      ["name", "n😀z", 7, 52, 7, 58],
    ]);
  });

  it("offsets index the source text exactly", () => {
    const doc = parseBxml(src);
    const r = doc.root!;
    const [speak, stream] = childElements(r);
    expect(doc.source.slice(speak.pos.offset).startsWith("<SpeakSentence")).toBe(true);
    expect(doc.source.slice(stream.attrs[1].pos.offset).startsWith("name=")).toBe(true);
    expect(doc.source.slice(stream.attrs[1].valuePos.offset).startsWith("n&#x1F600;z")).toBe(true);
    expect(doc.source.slice(text(speak).pos.offset).startsWith("😀")).toBe(true);
  });

  it("counts a lone CR as a line end, and LF the same as CRLF", () => {
    for (const nl of ["\n", "\r", "\r\n"]) {
      const r = root(`<Response>${nl}<Pause duration="1"/>${nl}${nl}  <Hangup/>${nl}</Response>`);
      const [pause, hangup] = childElements(r);
      expect(lc(pause.pos)).toEqual([2, 1]);
      expect(lc(pause.attrs[0].valuePos)).toEqual([2, 18]);
      expect(lc(hangup.pos)).toEqual([4, 3]);
    }
  });

  it("places text on its own indented line and trims nothing in the model", () => {
    const r = root(`<Response>\n    <Bridge>\n        c-abc-123\n    </Bridge>\n</Response>\n`);
    const bridge = childElements(r)[0];
    const t = text(bridge);
    expect(lc(bridge.pos)).toEqual([2, 5]);
    expect(lc(t.pos)).toEqual([2, 13]);
    expect(lc(t.contentPos!)).toEqual([3, 9]);
    expect(t.value).toBe("\n        c-abc-123\n    ");
  });

  it("normalises multi-line attribute values to spaces but places the value where it starts", () => {
    const r = root(`<Response>\n  <Redirect\n     redirectUrl="https://a.example/\n   next"\n  />\n</Response>`);
    const red = childElements(r)[0];
    expect(red.attrs[0].value).toBe("https://a.example/    next");
    expect(lc(red.attrs[0].pos)).toEqual([3, 6]);
    expect(lc(red.attrs[0].valuePos)).toEqual([3, 19]);
  });

  it("keeps character references: &#10; stays a newline inside an attribute value", () => {
    const r = root(`<Response><Tag>a&#10;b&lt;&gt;&quot;&apos;&#65;&#x42;</Tag><Pause duration="1&#10;"/></Response>`);
    const [tag, pause] = childElements(r);
    expect(text(tag).value).toBe("a\nb<>\"'AB");
    expect(pause.attrs[0].value).toBe("1\n");
  });

  it("ignores a UTF-8 BOM in positions (string and bytes)", () => {
    const body = `<Response>\n  <Hangup/>\n</Response>`;
    for (const input of ["\uFEFF" + body, new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(body)])]) {
      const doc = parseBxml(input);
      expect(doc.diagnostics).toEqual([]);
      expect(doc.source).toBe(body);
      expect(doc.bytes).toBe(body.length + 3);
      expect(lc(doc.root!.pos)).toEqual([1, 1]);
      expect(lc(childElements(doc.root!)[0].pos)).toEqual([2, 3]);
    }
  });

  it("places elements after multi-byte UTF-8 by UTF-16 columns", () => {
    const r = root(new TextEncoder().encode(`<Response><SpeakSentence>héllo 日本 𝄞</SpeakSentence><Hangup/></Response>`));
    const hangup = childElements(r)[1];
    // "<Response><SpeakSentence>" = 25, "héllo 日本 𝄞" = 11 UTF-16 units, "</SpeakSentence>" = 16
    expect(lc(hangup.pos)).toEqual([1, 25 + 11 + 16 + 1]);
  });

  it("keeps comments and whitespace-only text as children in order", () => {
    const r = root(`<Response>\n  <!-- a -->\n  <Hangup/>\n</Response>`);
    expect(r.children.map((c) => c.type)).toEqual(["text", "comment", "text", "element", "text"]);
  });

  it("places well-formedness errors exactly", () => {
    const cases: [string, number, number][] = [
      [`<Response>\n  <Pause duration=5/>\n</Response>`, 2, 19],
      [`<Response>\n  <Pause>\n</Response>`, 3, 1],
      [`<Response>\n\t<Redirect redirectUrl="https://x/?a=1&b=2"/>\n</Response>`, 2, 39],
      [`<Response>\n  <SpeakSentence>a &nbsp; b</SpeakSentence>\n</Response>`, 2, 20],
      [`<Response>\n  <Hangup/>\n</Response>\n<Response/>`, 4, 1],
      [`<Response>\r\n  <Hangup/>\r\n  trailing <`, 3, 12],
      [`<Response>\n  <StartStream destination="wss://x name="y"/>\n</Response>`, 2, 43],
    ];
    for (const [src, line, col] of cases) {
      const doc = parseBxml(src);
      expect(doc.root).toBeUndefined();
      expect(doc.diagnostics, src).toHaveLength(1);
      expect(doc.diagnostics[0].ruleId).toBe("bxml/not-well-formed");
      expect([doc.diagnostics[0].line, doc.diagnostics[0].col], src).toEqual([line, col]);
    }
  });
});
