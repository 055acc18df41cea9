import type { ConformanceCase } from "../types.js";
import { attrValue } from "../../emulator/bxml/model.js";
import { fail, pass, startStream } from "../observe.js";

export default {
  id: "answer.bxml.secure-destination",
  level: "SHOULD",
  title: "The stream destination is wss://",
  expectation: "StartStream destination uses wss://",
  // bandwidth.md §4.1, ED-9 (every Bandwidth example uses wss://)
  docs: ["https://dev.bandwidth.com/docs/voice/guides/mediaStreaming"],
  outcomes: "a wss:// URL (bwemu still connects to ws:// on loopback)",
  scenarios: ["basic"],
  requires: ["startStream"],
  check(c) {
    const s = startStream(c.call)!;
    const d = attrValue(s, "destination") ?? "";
    return d.startsWith("wss://") ? pass(d) : fail("destination=\"wss://…\"", `destination="${d}"`);
  },
} satisfies ConformanceCase;
