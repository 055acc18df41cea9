// OPEN-3: an element whose text is required (Bridge target, Conference name, PlayAudio URL,
// SendDtmf digits, PhoneNumber, SipUri, Endpoint, a non-blank SpeakSentence) has none.
import { elementText } from "../values.js";
import { platformRule, walkDocumentedElements } from "./walk.js";

const WHAT: Record<string, string> = {
  url: "the URL of the audio file (WAV or MP3), e.g. <PlayAudio>https://example.com/hello.wav</PlayAudio>",
  digits: "the DTMF digits to send, e.g. <SendDtmf>1234#</SendDtmf>",
  ssml: "the words to speak, e.g. <SpeakSentence>Hello!</SpeakSentence>",
  id: "the callId of the call to bridge, e.g. <Bridge>c-abc…</Bridge>",
  e164: "an E.164 number, e.g. <PhoneNumber>+15551234567</PhoneNumber>",
  sip: "a SIP URI, e.g. <SipUri>sip:user@server.example</SipUri>",
  "conference-name": "the conference name as text, e.g. <Conference>my-room</Conference>",
  "endpoint-id": "the endpoint id, e.g. <Endpoint>e-1234</Endpoint>",
};

export default platformRule({
  id: "bxml/missing-required-text",
  // bandwidth.md §2 (Text content), §8 row 6, OPEN-3
  docs: ["https://dev.bandwidth.com/docs/voice/bxml"],
  description: "An element whose text content is required is empty or blank (incl. a blank SpeakSentence).",
  find(root, emit) {
    walkDocumentedElements(root, ({ el, spec }) => {
      if (!spec.text?.required) return;
      if (elementText(el).trim() !== "") return;
      const extra = el.name === "Conference" && el.attrs.some((a) => a.name === "name") ? " (the name goes in the text, not in a `name` attribute)" : "";
      emit(el.pos, `<${el.name}> needs text content: ${WHAT[spec.text.kind] ?? "a value"}${extra}. Without it Bandwidth rejects the document (invalid-bxml).`);
    });
  },
});
