// An event URL (StartStream's `streamEventUrl`, StartTranscription's `transcriptionEventUrl`)
// receives HTTP webhooks (bandwidth.md §2.20, §2.23, §5.1), never the media. Two mistakes lose every
// event: a ws/wss URL, and the destination's own endpoint (same host, port and path, scheme aside:
// wss ↔ https), which only speaks WebSocket. One answer for the lint rule stream/event-url-distinct
// and the case answer.bxml.event-url-distinct.
import { attr, attrValue, type BxmlAttribute, type BxmlElement } from "./model.js";
import { resolveUrl, schemeOf } from "./urls.js";

/** The event-URL attribute of each verb that has one. */
export const EVENT_URL_ATTR: Readonly<Record<string, string>> = { StartStream: "streamEventUrl", StartTranscription: "transcriptionEventUrl" };

export type EventUrlMistake =
  | { kind: "websocket"; attr: BxmlAttribute }
  | { kind: "destination"; attr: BxmlAttribute; destination: string };

/** host + port + path of a URL, scheme aside; undefined when it cannot be parsed. */
function endpoint(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const u = new URL(url.trim());
    return `${u.hostname.toLowerCase()}:${u.port || "(default)"}${u.pathname.replace(/\/+$/, "") || "/"}`;
  } catch {
    return undefined;
  }
}

/**
 * What is wrong with `el`'s event URL; undefined when it is absent, empty or fine. A relative event
 * URL is compared only when `baseUrl` (the URL that served the document) is known.
 */
export function eventUrlMistake(el: BxmlElement, baseUrl: string | undefined): EventUrlMistake | undefined {
  const name = EVENT_URL_ATTR[el.name];
  const ev = name ? attr(el, name) : undefined;
  if (!ev || ev.value.trim() === "") return undefined;
  const scheme = schemeOf(ev.value);
  if (scheme === "ws" || scheme === "wss") return { kind: "websocket", attr: ev };
  const destination = attrValue(el, "destination");
  if (destination === undefined) return undefined;
  const a = endpoint(scheme ? ev.value : baseUrl ? resolveUrl(ev.value, baseUrl) : undefined);
  return a !== undefined && a === endpoint(destination) ? { kind: "destination", attr: ev, destination: destination.trim() } : undefined;
}
