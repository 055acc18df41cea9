// Reading values as the carrier does: defaults, case-insensitive enums (ED-6c), trimmed text (§1.2).
import { describe, expect, it } from "vitest";
import { childElements, type BxmlElement } from "../model.js";
import { parseBxml } from "../parse.js";
import { charLength, parseNum, textProblem, typeProblem, urlProblem, wsUriProblem } from "../value-types.js";
import { attrOrDefault, boolAttr, elementText, enumAttr, methodAttr, numberAttr, speechText } from "../values.js";

function els(body: string): BxmlElement[] {
  const doc = parseBxml(`<Response>${body}</Response>`);
  expect(doc.diagnostics).toEqual([]);
  return childElements(doc.root!);
}

describe("values", () => {
  it("attrOrDefault: the value, else the catalogue default, else undefined", () => {
    const [pause, bare, stream] = els(`<Pause duration="2.5"/><Pause/><StartStream destination="wss://x"/>`);
    expect(attrOrDefault(pause, "duration")).toBe("2.5");
    expect(attrOrDefault(bare, "duration")).toBe("1");
    expect(attrOrDefault(stream, "tracks")).toBe("inbound");
    expect(attrOrDefault(stream, "name")).toBeUndefined();
    expect(attrOrDefault(stream, "nonsense")).toBeUndefined();
  });

  it("numberAttr parses decimals and Java doubles, falls back to the default", () => {
    const [a, b, c, d] = els(`<Pause duration="3.0"/><Pause duration=" .5 "/><Pause/><Pause duration="x"/>`);
    expect(numberAttr(a, "duration")).toBe(3);
    expect(numberAttr(b, "duration")).toBe(0.5);
    expect(numberAttr(c, "duration")).toBe(1);
    expect(numberAttr(d, "duration")).toBe(1);
    expect(numberAttr(c, "missing")).toBeUndefined();
  });

  it("boolAttr: any case, default otherwise", () => {
    const [a, b, c] = els(`<StopStream name="s" wait="TRUE"/><StopStream name="s"/><Ring answerCall="False"/>`);
    expect(boolAttr(a, "wait")).toBe(true);
    expect(boolAttr(b, "wait")).toBe(false);
    expect(boolAttr(c, "answerCall")).toBe(false);
    const [ring] = els(`<Ring/>`);
    expect(boolAttr(ring, "answerCall")).toBe(true);
  });

  it("methodAttr: GET or POST, case-insensitive, POST by default", () => {
    const [a, b, c] = els(`<Redirect redirectUrl="/a" redirectMethod="get"/><Redirect redirectUrl="/a"/><Redirect redirectUrl="/a" redirectMethod="Post"/>`);
    expect(methodAttr(a, "redirectMethod")).toBe("GET");
    expect(methodAttr(b, "redirectMethod")).toBe("POST");
    expect(methodAttr(c, "redirectMethod")).toBe("POST");
  });

  it("enumAttr: canonical case, default when absent, open lists kept as written", () => {
    const [a, b, s] = els(`<StartStream destination="wss://x" tracks="INBOUND" mode=" Bidirectional "/><StartStream destination="wss://x"/><SpeakSentence voice="Julie" locale="xx_YY">x</SpeakSentence>`);
    expect(enumAttr(a, "tracks")).toBe("inbound");
    expect(enumAttr(a, "mode")).toBe("bidirectional");
    expect(enumAttr(b, "mode")).toBe("unidirectional");
    expect(enumAttr(s, "voice")).toBe("julie");
    expect(enumAttr(s, "locale")).toBe("xx_YY");
    expect(enumAttr(s, "gender")).toBe("female");
  });

  it("elementText trims identifiers and URLs (§1.2), keeps speech untrimmed with SSML text", () => {
    const [bridge, tag, speak, play] = els(`<Bridge>\n   c-123\n</Bridge><Tag>  x  </Tag><SpeakSentence> Hi <emphasis>there</emphasis>,  you </SpeakSentence><PlayAudio> a.wav </PlayAudio>`);
    expect(elementText(bridge)).toBe("c-123");
    expect(elementText(tag)).toBe("x");
    expect(elementText(speak)).toBe(" Hi there,  you ");
    expect(speechText(speak)).toBe("Hi there, you");
    const [ssml] = els(`<SpeakSentence>Call <sub alias="Bandwidth">BW</sub> now.<break time="1s"/>Bye <say-as interpret-as="characters">ok</say-as>!</SpeakSentence>`);
    expect(speechText(ssml)).toBe("Call Bandwidth now. Bye ok!");
    expect(elementText(play)).toBe("a.wav");
  });
});

describe("value types", () => {
  it("numbers", () => {
    expect(parseNum("5")).toBe(5);
    expect(parseNum("-1.5")).toBe(-1.5);
    expect(parseNum("1e3")).toBeUndefined();
    expect(parseNum("")).toBeUndefined();
    expect(parseNum("0x10")).toBeUndefined();
  });

  it("URLs: http(s) absolute or relative; resolve against a base", () => {
    expect(urlProblem("https://a.example/x?y=1&z=2")).toBeUndefined();
    expect(urlProblem("/callbacks/x")).toBeUndefined();
    expect(urlProblem("Tone.mp3")).toBeUndefined();
    expect(urlProblem("//cdn.example/a.wav")).toBeUndefined();
    expect(urlProblem("mailto:a@b")).toMatch(/http/);
    expect(urlProblem("https://")).toBeDefined();
    expect(urlProblem("")).toMatch(/empty/);
    expect(urlProblem("/x", "https://app.example/answer")).toBeUndefined();
  });

  it("WebSocket URIs (ED-9 ws:// allowed here, OPEN-6 other schemes refused)", () => {
    expect(wsUriProblem("wss://a.example/ws?t=1")).toBeUndefined();
    expect(wsUriProblem("ws://localhost:8080/ws")).toBeUndefined();
    expect(wsUriProblem("https://a.example/ws")).toMatch(/wss:\/\/a\.example\/ws/);
    expect(wsUriProblem("a.example/ws")).toMatch(/absolute/);
    expect(wsUriProblem("wss://")).toBeDefined();
  });

  it("E.164, caller id, SIP, UUI", () => {
    expect(typeProblem("E164", "+15551234567")).toBeUndefined();
    expect(typeProblem("E164", "+0123")).toBeDefined();
    expect(typeProblem("E164", "+1234567890123456")).toBeDefined();
    expect(typeProblem("CALLERID", "restricted")).toBeUndefined();
    expect(typeProblem("E164_OR_SIP", "sips:a@b")).toBeUndefined();
    expect(typeProblem("UUI", "abc;encoding=jwt")).toBeUndefined();
    expect(typeProblem("UUI", "abc;encoding=hex")).toBeDefined();
    expect(typeProblem("STR", "anything")).toBeUndefined();
  });

  it("text kinds and lengths", () => {
    expect(textProblem("digits", "123*#abcdABCD,wW")).toBeUndefined();
    expect(textProblem("digits", "12e")).toMatch(/"e"/);
    expect(textProblem("conference-name", "a.b-c_d")).toBeUndefined();
    expect(textProblem("conference-name", "a b")).toBeDefined();
    expect(charLength("😀é")).toBe(2);
  });
});
