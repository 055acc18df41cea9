// `streamEventUrl` receives webhooks (HTTP POST/GET of mediaStreamStarted/Rejected/Stopped), never
// the media. Pointing it at the WebSocket endpoint (same host and path as `destination`, scheme
// aside: wss ↔ https) sends every stream event to a server that only speaks WebSocket, so they are
// lost. A ws/wss event URL is already a platform error (bxml/attribute-type: URL attributes are
// http(s)), so it is left to that rule. A relative event URL is compared when the base URL is known.
// Extended to StartTranscription's `transcriptionEventUrl` (same shape, §2.23). The judgement is
// emulator/bxml/event-url.ts, which the case answer.bxml.event-url-distinct uses too.
import { eventUrlMistake } from "../../emulator/bxml/event-url.js";
import { pitfallRule, walk } from "./util.js";

export default pitfallRule({
  id: "stream/event-url-distinct",
  level: "error",
  // bandwidth.md §2.20, §5.1; conformance.md answer.bxml.event-url-distinct
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/startStream"],
  description: "streamEventUrl (or transcriptionEventUrl) pointing at the destination WebSocket endpoint (a ws/wss event URL is reported by bxml/attribute-type).",
  find(root, emit, ctx) {
    walk(root, (el) => {
      const m = eventUrlMistake(el, ctx.baseUrl);
      if (m?.kind !== "destination") return; // a ws/wss URL: bxml/attribute-type reports it
      const name = m.attr.name;
      const events = el.name === "StartStream" ? "stream events (mediaStreamStarted/Stopped/Rejected)" : "transcription events (realTimeTranscription*)";
      emit(m.attr.valuePos, `${name} points at the same endpoint as destination (${m.destination}): ${events} are HTTP webhooks, and a WebSocket endpoint refuses them, so every event is lost. Give ${name} its own https:// path, e.g. /${el.name === "StartStream" ? "stream" : "transcription"}-events.`);
    });
  },
});
