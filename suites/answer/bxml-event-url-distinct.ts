import type { ConformanceCase } from "../types.js";
import { eventUrlMistake } from "../../emulator/bxml/event-url.js";
import { attrValue } from "../../emulator/bxml/model.js";
import { fail, firstDocument, pass, startStream } from "../observe.js";

export default {
  id: "answer.bxml.event-url-distinct",
  level: "MUST",
  title: "streamEventUrl is an HTTP endpoint, not the WebSocket",
  expectation: "streamEventUrl, when set, is an http(s) URL distinct from destination",
  // pitfall (bandwidth.md §5.1: stream events are HTTP webhooks); the lint rule stream/event-url-distinct judges alike
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/startStream"],
  outcomes: "absent, or an http(s)/relative URL whose endpoint (host, port, path) differs from destination's",
  scenarios: ["basic"],
  requires: ["startStream"],
  check(c) {
    const s = startStream(c.call)!;
    const m = eventUrlMistake(s, firstDocument(c.call)?.url);
    if (m?.kind === "websocket") return fail("an http(s) streamEventUrl", `streamEventUrl="${m.attr.value}" (a WebSocket URL: the webhooks can never be delivered)`);
    if (m) return fail("streamEventUrl ≠ destination", `streamEventUrl="${m.attr.value}" is the endpoint of destination="${m.destination}": the WebSocket refuses the webhooks`);
    return pass(attrValue(s, "streamEventUrl") || "not set");
  },
} satisfies ConformanceCase;
