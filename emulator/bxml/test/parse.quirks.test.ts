// Every producer quirk of bandwidth.md §1.2 and §10.1 parses cleanly and passes acceptance.
import { describe, expect, it } from "vitest";
import { checkAcceptance } from "../acceptance/index.js";
import { childElements } from "../model.js";
import { parseBxml } from "../parse.js";

const QUIRKS: Record<string, string> = {
  "Node SDK: declaration glued to the root, no spaces, &amp; in URLs, Bxml root":
    `<?xml version="1.0" encoding="UTF-8"?><Bxml><StartStream name="s1" mode="bidirectional" destination="wss://bridge.example/ws?call=c-1&amp;t=2" streamEventUrl="https://bridge.example/events?a=1&amp;b=2"/><StopStream name="s1" wait="true"/></Bxml>`,
  "Python SDK: single-quoted declaration + newline, space before />, destination first":
    `<?xml version='1.0' encoding='UTF-8'?>\n<Response><StartStream destination="wss://x.example/ws" name="s" tracks="both" /><Pause duration="30" /></Response>`,
  "Java SDK: standalone=yes, upper-case enum, 3.0 doubles":
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Bxml><StartTranscription name="t" tracks="INBOUND"/><Pause duration="3.0"/><Ring duration="5.0" answerCall="true"/></Bxml>`,
  "C# SDK: lower-case encoding, indentation without newlines":
    `<?xml version="1.0" encoding="utf-8"?><Response>  <StartStream destination="wss://x.example/ws">    <StreamParam name="a" value="b" />  </StartStream>  <Pause duration="10" /></Response>`,
  "Ruby SDK: 2-space pretty print with trailing newline":
    `<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n  <SpeakSentence voice="julie">Hello</SpeakSentence>\n  <Hangup/>\n</Response>\n`,
  "docs: 4-space indentation, comments between verbs, text on its own line":
    `<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n    <!-- Say hello first -->\n    <SpeakSentence>\n        Hello, please hold while we connect you.\n    </SpeakSentence>\n    <!-- then bridge -->\n    <Bridge bridgeCompleteUrl="https://example.com/complete">\n        c-95ac8d6e-1a31c52e-b38f-4198-93c1-51633ec68f8d\n    </Bridge>\n</Response>`,
  "no XML declaration (apteva)":
    `<Response><StartRecording recordingAvailableUrl="https://a.example/rec"/><StartStream destination="wss://a.example/ws"/><StopStream name="s-1" wait="true"/></Response>`,
  "start/end pair instead of self-closing": `<Response><StopTranscription name="x"></StopTranscription><Hangup></Hangup></Response>`,
  "empty roots": `<Response/>`,
  "empty Bxml root with pair": `<Bxml></Bxml>`,
  "attributes in any order, CRLF line ends, tabs":
    `<Response>\r\n\t<Gather maxDigits="3" gatherUrl="/gather" firstDigitTimeout="10">\r\n\t\t<PlayAudio>Tone.mp3</PlayAudio>\r\n\t</Gather>\r\n</Response>\r\n`,
  "SSML inside SpeakSentence (Node SDK lang/emphasis children, break, say-as…)":
    `<Response><SpeakSentence>Hi <lang xml:lang="fr-FR">bonjour</lang> <emphasis level="strong">now</emphasis><break time="1s"/><break strength="x-strong"/><say-as interpret-as="date" format="mdy">1/2/2020</say-as><prosody rate="slow" pitch="+5%" volume="-3dB">quiet</prosody><p><s>one</s><s>two</s></p><phoneme alphabet="ipa" ph="pɪˈkɑːn">pecan</phoneme><sub alias="World Wide Web">WWW</sub></SpeakSentence></Response>`,
  "migration toolkit: compact, StreamParams, credentials, query strings":
    `<Response><StartStream name="bridge" destination="wss://m.example/stream" destinationUsername="u" destinationPassword="p" streamEventUrl="https://m.example/events" username="u" password="p"><StreamParam name="callId" value="c-1"/><StreamParam name="token" value="t"/></StartStream><StopStream name="bridge" wait="true"/><Gather gatherUrl="https://m.example/cb?next=a&amp;gather=2" input="dtmf" username="u" password="p"><SpeakSentence>Press 1</SpeakSentence></Gather></Response>`,
  "pipecat: no stream name + 24 h Pause, line-broken indented StartStream":
    `<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n  <StartStream\n    destination="wss://p.example/ws/one-time-token"\n    mode="bidirectional"\n  />\n  <Pause duration="86400"/>\n</Response>`,
  "voice-record-js: relative PlayAudio and Record URLs":
    `<Response><PlayAudio>Tone.mp3</PlayAudio><Record recordingAvailableUrl="/callbacks/recordingAvailable" maxDuration="30"/></Response>`,
  "Transfer with several targets and SIP UUI":
    `<Response><Transfer transferCallerId="+15555550100" callTimeout="20" transferCompleteUrl="/done"><PhoneNumber transferAnswerUrl="/answer">+15555550101</PhoneNumber><SipUri uui="bXktdXVp;encoding=base64">sip:agent@pbx.example</SipUri></Transfer></Response>`,
  "Refer with one SipUri": `<Response><Refer referCompleteUrl="/refer"><SipUri>sip:agent@pbx.example</SipUri></Refer></Response>`,
  "Connect with Endpoints": `<Response><Connect eventCallbackUrl="https://x.example/connect"><Endpoint>e-1</Endpoint><Endpoint>e-2</Endpoint></Connect></Response>`,
};

describe("producer quirks (§1.2, §10.1)", () => {
  for (const [name, src] of Object.entries(QUIRKS)) {
    it(`accepts ${name}`, () => {
      for (const input of [src, new TextEncoder().encode(src)]) {
        const doc = parseBxml(input);
        expect(doc.diagnostics).toEqual([]);
        expect(["Response", "Bxml"]).toContain(doc.root!.name);
        expect(checkAcceptance(doc, { context: "initiate" })).toEqual([]);
      }
    });
  }

  it("decodes &amp; in URLs and keeps SSML as child elements of SpeakSentence", () => {
    const node = parseBxml(QUIRKS["Node SDK: declaration glued to the root, no spaces, &amp; in URLs, Bxml root"]).root!;
    expect(childElements(node)[0].attrs.find((a) => a.name === "destination")!.value).toBe("wss://bridge.example/ws?call=c-1&t=2");
    const ssml = parseBxml(QUIRKS["SSML inside SpeakSentence (Node SDK lang/emphasis children, break, say-as…)"]).root!;
    const speak = childElements(ssml)[0];
    expect(childElements(speak).map((e) => e.name)).toEqual(["lang", "emphasis", "break", "break", "say-as", "prosody", "p", "phoneme", "sub"]);
    expect(childElements(speak)[0].attrs[0]).toMatchObject({ name: "xml:lang", value: "fr-FR" });
  });
});
