import type { ConformanceCase } from "../types.js";
import { attrValue } from "../../emulator/bxml/model.js";
import { fail, pass, startStream } from "../observe.js";

export default {
  id: "answer.bxml.event-url-present",
  level: "SHOULD",
  title: "Stream lifecycle events are requested",
  expectation: "streamEventUrl is set",
  // bandwidth.md §5.1 (no URL → no stream webhooks)
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/startStream"],
  outcomes: "streamEventUrl present",
  scenarios: ["basic"],
  requires: ["startStream"],
  check(c) {
    const s = startStream(c.call)!;
    const url = attrValue(s, "streamEventUrl");
    return url ? pass(url) : fail("streamEventUrl set", "absent: the bridge never learns that a stream was rejected or stopped");
  },
} satisfies ConformanceCase;
