// `streamEventUrl` receives webhooks (HTTP POST/GET of mediaStreamStarted/Rejected/Stopped), never
// the media. Pointing it at the WebSocket endpoint (same host and path as `destination`, scheme
// aside: wss ↔ https) sends every stream event to a server that only speaks WebSocket, so they are
// lost. A ws/wss event URL is already a platform error (bxml/attribute-type: URL attributes are
// http(s)), so it is left to that rule. A relative event URL is compared when the base URL is known.
// Extended to StartTranscription's `transcriptionEventUrl` (same shape, §2.23).
import { attr, attrValue, pitfallRule, resolveUrl, schemeOf, walk } from "./util.js";

const EVENT_ATTR: Record<string, string> = { StartStream: "streamEventUrl", StartTranscription: "transcriptionEventUrl" };

/** host + path of a URL, scheme aside; undefined when it cannot be parsed. */
function endpoint(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const u = new URL(url.trim());
    return `${u.hostname.toLowerCase()}:${u.port || "(default)"}${u.pathname.replace(/\/+$/, "") || "/"}`;
  } catch {
    return undefined;
  }
}

export default pitfallRule({
  id: "stream/event-url-distinct",
  level: "error",
  // bandwidth.md §2.20, §5.1; conformance.md answer.bxml.event-url-distinct
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/startStream"],
  description: "streamEventUrl (or transcriptionEventUrl) pointing at the destination WebSocket endpoint (a ws/wss event URL is reported by bxml/attribute-type).",
  find(root, emit, ctx) {
    walk(root, (el) => {
      const name = EVENT_ATTR[el.name];
      if (!name) return;
      const ev = attr(el, name);
      const dest = attrValue(el, "destination");
      if (!ev || ev.value.trim() === "" || dest === undefined) return;
      const scheme = schemeOf(ev.value);
      if (scheme === "ws" || scheme === "wss") return; // bxml/attribute-type reports it
      const evAbs = scheme ? ev.value : ctx.baseUrl ? resolveUrl(ev.value, ctx.baseUrl) : undefined;
      const a = endpoint(evAbs);
      const b = endpoint(dest);
      if (a === undefined || a !== b) return;
      const events = el.name === "StartStream" ? "stream events (mediaStreamStarted/Stopped/Rejected)" : "transcription events (realTimeTranscription*)";
      emit(ev.valuePos, `${name} points at the same endpoint as destination (${dest.trim()}): ${events} are HTTP webhooks, and a WebSocket endpoint refuses them, so every event is lost. Give ${name} its own https:// path, e.g. /${el.name === "StartStream" ? "stream" : "transcription"}-events.`);
    });
  },
});
