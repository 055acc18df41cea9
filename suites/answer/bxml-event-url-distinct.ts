import type { ConformanceCase } from "../types.js";
import { attrValue } from "../../emulator/bxml/model.js";
import { fail, pass, startStream } from "../observe.js";

export default {
  id: "answer.bxml.event-url-distinct",
  level: "MUST",
  title: "streamEventUrl is an HTTP endpoint, not the WebSocket",
  expectation: "streamEventUrl, when set, is an http(s) URL distinct from destination",
  // pitfall (bandwidth.md §5.1: stream events are HTTP webhooks)
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/startStream"],
  outcomes: "absent, or an http(s)/relative URL different from destination",
  scenarios: ["basic"],
  requires: ["startStream"],
  check(c) {
    const s = startStream(c.call)!;
    const url = attrValue(s, "streamEventUrl");
    if (url === undefined) return pass("not set");
    const dest = attrValue(s, "destination");
    if (/^wss?:/i.test(url)) return fail("an http(s) streamEventUrl", `streamEventUrl="${url}" (a WebSocket URL: the webhooks can never be delivered)`);
    if (dest !== undefined && url === dest) return fail("streamEventUrl ≠ destination", `both are "${url}"`);
    return pass(url);
  },
} satisfies ConformanceCase;
