// Every platform rule with failing and passing snippets, located exactly. Positions are computed
// from the snippet text (`at(src, needle)`): element findings point at `<`, attribute-name
// findings at the name, value findings at the first character inside the quotes.
import { PUBLIC_PAGES } from "../../references.js";
import { describe, expect, it } from "vitest";
import { checkAcceptance, platformRules } from "../acceptance/index.js";
import type { AcceptanceContext } from "../acceptance/types.js";
import type { BxmlContext, Diagnostic } from "../model.js";
import { parseBxml } from "../parse.js";

function at(src: string, needle: string, plus = 0): [number, number] {
  const i = src.indexOf(needle);
  if (i === -1) throw new Error(`needle ${needle} not in snippet`);
  const before = src.slice(0, i + plus);
  const lines = before.split("\n");
  return [lines.length, lines[lines.length - 1].length + 1];
}
/** Position of the value of attribute `name="` in `src`. */
function val(src: string, attr: string): [number, number] {
  return at(src, `${attr}="`, attr.length + 2);
}

function run(src: string, context: BxmlContext = "initiate", baseUrl?: string): Diagnostic[] {
  const doc = parseBxml(src, { file: "t.xml" });
  expect(doc.diagnostics, src).toEqual([]);
  const ctx: AcceptanceContext = baseUrl ? { context, baseUrl } : { context };
  return checkAcceptance(doc, ctx);
}

function fails(src: string, ruleId: string, positions: [number, number][], opts: { context?: BxmlContext; baseUrl?: string; message?: RegExp } = {}): Diagnostic[] {
  const found = run(src, opts.context, opts.baseUrl);
  expect(found.map((d) => d.ruleId), src).toEqual(positions.map(() => ruleId));
  expect(found.map((d) => [d.line, d.col]), src).toEqual(positions);
  for (const d of found) {
    expect(d.level).toBe("error");
    expect(d.source).toBeTruthy();
    expect(d.file).toBe("t.xml");
    if (opts.message) expect(d.message, src).toMatch(opts.message);
  }
  return found;
}

function passes(src: string, context: BxmlContext = "initiate", baseUrl?: string): void {
  expect(run(src, context, baseUrl), src).toEqual([]);
}

const R = (body: string) => `<Response>${body}</Response>`;

describe("platform rules", () => {
  it("every rule is exported once, with an id, source and description", () => {
    const ids = platformRules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of platformRules) {
      expect(r.id).toMatch(/^bxml\/[a-z-]+$/);
      expect(r.level).toBe("error");
      expect(r.docs.length).toBeGreaterThan(0);
      for (const u of r.docs) expect(PUBLIC_PAGES.has(u), u).toBe(true);
      expect(r.description.length).toBeGreaterThan(10);
    }
  });

  describe("bxml/unknown-element", () => {
    it("flags unknown and mis-cased elements with a suggestion", () => {
      const s = `<Response>\n  <startStream destination="wss://x.example/ws"/>\n  <Pause/>\n</Response>`;
      fails(s, "bxml/unknown-element", [[2, 3]], { message: /case-sensitive: write <StartStream>/ });
      fails(R(`<SpeakSentance>hi</SpeakSentance>`), "bxml/unknown-element", [[1, 11]], { message: /did you mean <SpeakSentence>/ });
      fails(R(`<Foo/>`), "bxml/unknown-element", [[1, 11]]);
      const ssml = R(`<SpeakSentence>hi <foo>x</foo></SpeakSentence>`);
      fails(ssml, "bxml/unknown-element", [at(ssml, "<foo")], { message: /SSML elements/ });
    });
    it("a nested root element", () => {
      fails(`<Response><Bxml><Hangup/></Bxml></Response>`, "bxml/unknown-element", [[1, 11]], { message: /root element and cannot be nested inside <Response>/ });
    });
    it("does not judge what is below an unknown element", () => {
      fails(R(`<startStream destination="wss://x"><StreamParam name="a"/></startStream>`), "bxml/unknown-element", [[1, 11]]);
    });
    it("passes documented elements", () => passes(R(`<StartStream destination="wss://x.example/ws"/><Pause/>`)));
  });

  describe("bxml/misplaced-element", () => {
    it("flags a noun at root, a verb nested in the wrong parent, SSML outside SpeakSentence", () => {
      fails(R(`<StreamParam name="a" value="b"/>`), "bxml/misplaced-element", [[1, 11]], { message: /inside <StartStream>/ });
      const g = R(`<Gather><Hangup/></Gather>`);
      fails(g, "bxml/misplaced-element", [at(g, "<Hangup")], { message: /<Gather> may contain only <SpeakSentence> or <PlayAudio>/ });
      fails(R(`<break time="1s"/>`), "bxml/misplaced-element", [[1, 11]]);
      const refer = R(`<Refer><SipUri>sip:a@b.example</SipUri><PhoneNumber>+15551234567</PhoneNumber></Refer>`);
      fails(refer, "bxml/misplaced-element", [at(refer, "<PhoneNumber")]);
      const pa = R(`<PlayAudio>a.wav<Pause/></PlayAudio>`);
      fails(pa, "bxml/misplaced-element", [at(pa, "<Pause")], { message: /takes no child elements/ });
    });
    it("passes nouns and prompts where they belong", () => {
      passes(R(`<Gather><SpeakSentence>x</SpeakSentence><PlayAudio>a.wav</PlayAudio></Gather>`));
      passes(R(`<SpeakSentence><p><s>one <emphasis>two</emphasis></s></p></SpeakSentence>`));
    });
  });

  describe("bxml/context-forbidden", () => {
    it("conference BXML accepts only six verbs", () => {
      const s = R(`<SpeakSentence>hi</SpeakSentence><Hangup/><StartStream destination="wss://x.example"/>`);
      fails(s, "bxml/context-forbidden", [at(s, "<Hangup"), at(s, "<StartStream")], { context: "conference", message: /conference BXML.*Allowed here: .*PlayAudio/ });
      passes(R(`<PlayAudio>a.wav</PlayAudio><SpeakSentence>hi</SpeakSentence><StartRecording/><PauseRecording/><ResumeRecording/><StopRecording/>`), "conference");
    });
    it("transferAnswer replies may not Bridge, Conference, Forward, Transfer, Connect or Refer (OPEN-15)", () => {
      const s = R(`<Transfer><PhoneNumber>+15551234567</PhoneNumber></Transfer><Conference>room</Conference><Bridge>c-1</Bridge><Forward to="+15551234567"/><Connect><Endpoint>e</Endpoint></Connect><Refer><SipUri>sip:a@b</SipUri></Refer>`);
      fails(s, "bxml/context-forbidden", ["<Transfer", "<Conference", "<Bridge", "<Forward", "<Connect", "<Refer"].map((n) => at(s, n)), { context: "transferAnswer" });
      passes(R(`<SpeakSentence>hi</SpeakSentence><StartStream destination="wss://x.example"/><Gather/><Pause/>`), "transferAnswer");
    });
    it("call documents accept every verb", () => passes(R(`<Transfer><PhoneNumber>+15551234567</PhoneNumber></Transfer><Hangup/>`)));
  });

  describe("bxml/missing-required-attribute", () => {
    it("flags absent required attributes at the element", () => {
      fails(R(`<StartStream name="a"/>`), "bxml/missing-required-attribute", [[1, 11]], { message: /<StartStream> requires `destination` \(the wss:\/\/ URL of your media WebSocket\)/ });
      fails(R(`<Redirect/>`), "bxml/missing-required-attribute", [[1, 11]], { message: /redirectUrl/ });
      fails(R(`<StartGather/>`), "bxml/missing-required-attribute", [[1, 11]], { message: /dtmfUrl/ });
      fails(R(`<StopStream/>`), "bxml/missing-required-attribute", [[1, 11]]);
      fails(R(`<Forward/>`), "bxml/missing-required-attribute", [[1, 11]], { message: /`to`/ });
      const sp = R(`<StartStream destination="wss://x"><StreamParam name="a"/></StartStream>`);
      fails(sp, "bxml/missing-required-attribute", [at(sp, "<StreamParam")], { message: /value/ });
      const ct = R(`<StartTranscription><CustomParam value="a"/></StartTranscription>`);
      fails(ct, "bxml/missing-required-attribute", [at(ct, "<CustomParam")], { message: /name/ });
      const lang = R(`<SpeakSentence><lang>x</lang></SpeakSentence>`);
      fails(lang, "bxml/missing-required-attribute", [at(lang, "<lang")], { message: /xml:lang/ });
    });
    it("flags an empty required attribute at its name", () => {
      const s = R(`<Redirect redirectUrl=" "/>`);
      fails(s, "bxml/missing-required-attribute", [at(s, "redirectUrl=")], { message: /empty/ });
      passes(R(`<StartStream destination="wss://x"><StreamParam name="a" value=""/></StartStream>`)); // an empty string is a value
    });
    it("say-as needs format when interpret-as is date", () => {
      const s = R(`<SpeakSentence><say-as interpret-as="date">1/2/2020</say-as></SpeakSentence>`);
      fails(s, "bxml/missing-required-attribute", [at(s, "<say-as")], { message: /format.*interpret-as="date"/ });
      passes(R(`<SpeakSentence><say-as interpret-as="cardinal">12</say-as></SpeakSentence>`));
    });
    it("passes when present", () => {
      passes(R(`<StartStream destination="wss://x.example/ws"><StreamParam name="a" value=""/></StartStream><StopStream name="s"/><Redirect redirectUrl="https://a.example/r"/>`));
      passes(R(`<StopTranscription/>`)); // name optional (§2.24)
    });
  });

  describe("bxml/missing-required-text", () => {
    it("flags blank SpeakSentence (also with only SSML), PlayAudio, targets, Conference name as attribute", () => {
      fails(`<Response>\n  <SpeakSentence>\n  </SpeakSentence>\n</Response>`, "bxml/missing-required-text", [[2, 3]]);
      fails(R(`<SpeakSentence><break time="1s"/></SpeakSentence>`), "bxml/missing-required-text", [[1, 11]]);
      fails(R(`<PlayAudio/>`), "bxml/missing-required-text", [[1, 11]], { message: /URL of the audio file/ });
      fails(R(`<Conference name="room"/>`), "bxml/missing-required-text", [[1, 11]], { message: /not in a `name` attribute/ });
      const t = R(`<Transfer><PhoneNumber transferAnswerUrl="/a"></PhoneNumber></Transfer>`);
      fails(t, "bxml/missing-required-text", [at(t, "<PhoneNumber")]);
      fails(R(`<Bridge> </Bridge>`), "bxml/missing-required-text", [[1, 11]]);
      fails(R(`<SendDtmf/>`), "bxml/missing-required-text", [[1, 11]]);
      fails(R(`<Connect><Endpoint/></Connect>`), "bxml/missing-required-text", [[1, 20]]);
    });
    it("passes text in CDATA, on its own line, and an empty Tag (clears the tag)", () => {
      passes(R(`<SpeakSentence><![CDATA[Hi & bye]]></SpeakSentence><Tag/><Tag></Tag>`));
      passes(`<Response>\n  <Bridge>\n    c-123\n  </Bridge>\n</Response>`);
    });
  });

  describe("bxml/unexpected-text", () => {
    it("flags text in the root and in elements without text", () => {
      const s = `<Response>\n  Hello there\n  <Hangup/>\n</Response>`;
      fails(s, "bxml/unexpected-text", [[2, 3]], { message: /<SpeakSentence>Hello there<\/SpeakSentence>/ });
      const ss = R(`<StartStream destination="wss://x">oops</StartStream>`);
      fails(ss, "bxml/unexpected-text", [at(ss, "oops")]);
      fails(R(`<Hangup>now</Hangup>`), "bxml/unexpected-text", [[1, 19]]);
    });
    it("passes whitespace and comments", () => passes(`<Response>\n  <!-- c -->\n  <Hangup>  </Hangup>\n</Response>\n`));
  });

  describe("bxml/attribute-type", () => {
    it("numbers, booleans, methods", () => {
      const p = R(`<Pause duration="abc"/>`);
      fails(p, "bxml/attribute-type", [val(p, "duration")], { message: /decimal number/ });
      expect(val(p, "duration")).toEqual([1, 28]);
      const w = R(`<StopStream name="s" wait="yes"/>`);
      fails(w, "bxml/attribute-type", [val(w, "wait")], { message: /true or false/ });
      const m = R(`<Redirect redirectUrl="https://a.example" redirectMethod="PUT"/>`);
      fails(m, "bxml/attribute-type", [val(m, "redirectMethod")], { message: /GET or POST/ });
    });
    it("URLs: other schemes, WebSocket URLs for webhooks, whitespace, empty", () => {
      const s = R(`<Redirect redirectUrl="ftp://a.example/x"/><Gather gatherUrl="wss://a.example/g"/><Record recordCompleteUrl="https://a.example/a b"/><StartRecording recordingAvailableUrl=""/>`);
      fails(s, "bxml/attribute-type", [val(s, "redirectUrl"), val(s, "gatherUrl"), val(s, "recordCompleteUrl"), val(s, "recordingAvailableUrl")]);
    });
    it("WebSocket destination: https://, relative, or bare host is an error (OPEN-6)", () => {
      for (const dest of ["https://x.example/ws", "/ws", "testurl.com", "http://x.example"]) {
        const s = R(`<StartStream destination="${dest}"/>`);
        fails(s, "bxml/attribute-type", [val(s, "destination")], { message: /ws:\/\/ or wss:\/\/|WebSocket/ });
      }
      const t = R(`<StartTranscription destination="https://x.example"/>`);
      fails(t, "bxml/attribute-type", [val(t, "destination")]);
    });
    it("E.164, caller id, SIP, UUI", () => {
      const f = R(`<Forward to="5551234" from="Unknown" uui="abc"/>`);
      fails(f, "bxml/attribute-type", [val(f, "to"), val(f, "from"), val(f, "uui")]);
      passes(R(`<Forward to="sip:a@b.example" from="Anonymous" uui="YWJj;encoding=base64"/>`));
      passes(R(`<Forward to="+15551234567" from="+15557654321"/>`));
      const tr = R(`<Transfer transferCallerId="12"><SipUri uui="x;encoding=hex">sip:a@b</SipUri></Transfer>`);
      fails(tr, "bxml/attribute-type", [val(tr, "transferCallerId"), val(tr, "uui")]);
    });
    it("SSML syntax", () => {
      const s = R(`<SpeakSentence>a<break time="forever"/><prosody rate="-5%">b</prosody></SpeakSentence>`);
      fails(s, "bxml/attribute-type", [val(s, "time"), val(s, "rate")]);
    });
    it("accepts relative URLs (with and without a base), any case of methods and booleans (ED-6c), Java doubles", () => {
      passes(R(`<Redirect redirectUrl="/next" redirectMethod="post"/>`));
      passes(R(`<Gather gatherUrl="gather?x=1&amp;y=2"/><StopStream name="a" wait="TRUE"/><Pause duration="3.0"/>`), "initiate", "https://app.example/answer");
    });
    it("ignores unknown attributes (ED-6b) and SipUri attributes inside Refer", () => {
      passes(R(`<Gather input="speech" foo="bar"/>`));
      passes(R(`<Refer><SipUri uui="not-valid">sip:a@b.example</SipUri></Refer>`));
    });
  });

  describe("bxml/attribute-range", () => {
    it("flags numbers outside their range", () => {
      const s = R(`<Pause duration="0"/><Gather maxDigits="51" firstDigitTimeout="-1"/><Conference callbackTimeout="30">r</Conference><Ring duration="86401"/><SendDtmf toneDuration="10">1</SendDtmf><Transfer callTimeout="301"><PhoneNumber>+15551234567</PhoneNumber></Transfer>`);
      fails(s, "bxml/attribute-range", [val(s, "duration"), val(s, "maxDigits"), val(s, "firstDigitTimeout"), val(s, "callbackTimeout"), at(s, `duration="86401"`, 10), val(s, "toneDuration"), val(s, "callTimeout")]);
      const d = fails(R(`<Pause duration="0"/>`), "bxml/attribute-range", [[1, 28]]);
      expect(d[0].message).toBe(`duration="0" on <Pause> is out of range: it must be 0.1–86400 s.`);
    });
    it("SSML break longer than 10 s", () => {
      const s = R(`<SpeakSentence>a<break time="11s"/><break time="10001ms"/></SpeakSentence>`);
      fails(s, "bxml/attribute-range", [val(s, "time"), at(s, `time="10001ms"`, 6)]);
    });
    it("passes the bounds themselves", () => passes(R(`<Pause duration="0.1"/><Pause duration="86400"/><Gather maxDigits="50" firstDigitTimeout="0"/><SpeakSentence>a<break time="10s"/></SpeakSentence>`)));
  });

  describe("bxml/attribute-enum", () => {
    it("flags values outside the enumeration", () => {
      const s = R(`<StartStream destination="wss://x" tracks="all" mode="duplex"/><Record fileFormat="ogg"/><SpeakSentence gender="robot">x</SpeakSentence>`);
      fails(s, "bxml/attribute-enum", [val(s, "tracks"), val(s, "mode"), val(s, "fileFormat"), val(s, "gender")], { message: /use one of/ });
    });
    it("accepts any case (ED-6c) and unknown voices/locales (OPEN-4, a pitfall warning)", () => {
      passes(R(`<StartStream destination="wss://x" tracks="INBOUND" mode="Bidirectional"/><SpeakSentence voice="hal9000" locale="xx_YY">x</SpeakSentence>`));
    });
  });

  describe("bxml/length-limit", () => {
    it("StreamParam name 256 / value 2048, tag 256, Conference name 100, SendDtmf 50, Tag 256", () => {
      const s = R(
        `<StartStream destination="wss://x"><StreamParam name="${"n".repeat(257)}" value="${"v".repeat(2049)}"/></StartStream>` +
          `<Redirect redirectUrl="/r" tag="${"t".repeat(257)}"/><Conference>${"c".repeat(101)}</Conference><SendDtmf>${"1".repeat(51)}</SendDtmf><Tag>${"g".repeat(257)}</Tag>`,
      );
      fails(s, "bxml/length-limit", [val(s, "name"), val(s, "value"), val(s, "tag"), at(s, "ccc"), at(s, "111"), at(s, "ggg")]);
    });
    it("counts characters, not bytes, and passes exactly at the limit", () => {
      passes(
        R(
          `<StartStream destination="wss://x"><StreamParam name="${"é".repeat(256)}" value="${"😀".repeat(2048)}"/></StartStream><Tag>${"g".repeat(256)}</Tag><Conference>${"c".repeat(100)}</Conference><SendDtmf>${"1".repeat(50)}</SendDtmf>`,
        ),
      );
    });
  });

  describe("bxml/text-value", () => {
    it("flags DTMF characters, E.164, SIP URIs, conference names, audio URLs", () => {
      const s = R(`<SendDtmf>12x</SendDtmf><Transfer><PhoneNumber>555-1234</PhoneNumber><SipUri>user@host</SipUri></Transfer><Conference>my room</Conference><PlayAudio>ftp://a.example/a.wav</PlayAudio>`);
      fails(s, "bxml/text-value", [at(s, "12x"), at(s, "555-1234"), at(s, "user@host"), at(s, "my room"), at(s, "ftp://")]);
    });
    it("locates trimmed text on its own line", () => {
      fails(`<Response>\n  <SendDtmf>\n    12x\n  </SendDtmf>\n</Response>`, "bxml/text-value", [[3, 5]]);
    });
    it("passes valid text, trimmed", () => {
      passes(R(`<SendDtmf> 1234*#w,W </SendDtmf><Transfer><PhoneNumber> +15551234567 </PhoneNumber><SipUri>sip:user@host.example</SipUri></Transfer><Conference>my-room_1.a</Conference><PlayAudio>Tone.mp3</PlayAudio>`));
    });
  });

  describe("bxml/child-count", () => {
    const params = (n: number, el = "StreamParam") => Array.from({ length: n }, (_, k) => `<${el} name="p${k}" value="v"/>`).join("");
    it("StreamParam and CustomParam at most 12 (ED-7): points at the 13th", () => {
      const s = R(`<StartStream destination="wss://x">${params(13)}</StartStream>`);
      fails(s, "bxml/child-count", [at(s, `<StreamParam name="p12"`)], { message: /at most 12/ });
      const t = R(`<StartTranscription>${params(13, "CustomParam")}</StartTranscription>`);
      fails(t, "bxml/child-count", [at(t, `<CustomParam name="p12"`)]);
      passes(R(`<StartStream destination="wss://x">${params(12)}</StartStream>`));
    });
    it("Transfer 1–8 targets", () => {
      fails(R(`<Transfer/>`), "bxml/child-count", [[1, 11]], { message: /at least 1/ });
      const nums = (n: number) => Array.from({ length: n }, (_, k) => `<PhoneNumber>+1555123456${k}</PhoneNumber>`).join("");
      const s = R(`<Transfer>${nums(9)}</Transfer>`);
      fails(s, "bxml/child-count", [at(s, "<PhoneNumber>+15551234568")]);
      passes(R(`<Transfer>${nums(8)}</Transfer>`));
    });
    it("Gather: at most 20 prompts, repeatCount × prompts ≤ 20", () => {
      const prompts = (n: number) => "<SpeakSentence>x</SpeakSentence>".repeat(n);
      const s = R(`<Gather>${prompts(21)}</Gather>`);
      const i = s.split("<SpeakSentence>", 21).join("<SpeakSentence>").length;
      expect(fails(s, "bxml/child-count", [[1, i + 1]])).toHaveLength(1);
      const r = R(`<Gather repeatCount="7">${prompts(3)}</Gather>`);
      fails(r, "bxml/child-count", [val(r, "repeatCount")], { message: /× 3 prompts = 21 plays/ });
      passes(R(`<Gather repeatCount="5">${prompts(4)}</Gather><Gather repeatCount="20"/>`));
    });
    it("Refer exactly one SipUri, Connect at least one Endpoint", () => {
      fails(R(`<Refer/>`), "bxml/child-count", [[1, 11]], { message: /exactly 1 <SipUri>/ });
      const two = R(`<Refer><SipUri>sip:a@b</SipUri><SipUri>sip:c@d</SipUri></Refer>`);
      fails(two, "bxml/child-count", [at(two, "<SipUri>sip:c@d")]);
      fails(R(`<Connect eventCallbackUrl="/c"/>`), "bxml/child-count", [[1, 11]]);
    });
  });
});

describe("checkAcceptance", () => {
  it("returns the parser's diagnostics alone for a document that does not parse", () => {
    const doc = parseBxml(`<Response><Pause></Response>`);
    expect(checkAcceptance(doc, { context: "initiate" })).toEqual(doc.diagnostics);
  });

  it("sorts findings by position and keeps every rule's findings", () => {
    const s = `<Response>\n  <Foo/>\n  <Pause duration="0"/>\n  <StartStream/>\n</Response>`;
    const found = run(s);
    expect(found.map((d) => [d.ruleId, d.line, d.col])).toEqual([
      ["bxml/unknown-element", 2, 3],
      ["bxml/attribute-range", 3, 20],
      ["bxml/missing-required-attribute", 4, 3],
    ]);
  });

  it("an empty root is valid (implicit hang-up)", () => {
    passes(`<Response/>`);
    passes(`<Bxml></Bxml>`);
  });

  it("the Python SDK's Conference and Gather quirks are warnings elsewhere, errors only where text is missing", () => {
    expect(run(R(`<Conference name="room">room</Conference><Gather input="dtmf_speech"/>`))).toEqual([]);
  });
});
