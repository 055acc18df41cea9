import type { ConformanceCase } from "../types.js";
import { frames, info } from "../observe.js";

export default {
  id: "stream.start.params",
  level: "INFO",
  title: "StreamParams delivered in start",
  expectation: "the streamParams the bridge received are recorded",
  // bandwidth.md §2.21, §4.2
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/streamParam", "https://dev.bandwidth.com/docs/voice/guides/mediaStreaming"],
  outcomes: "recorded",
  scenarios: ["basic"],
  requires: ["stream"],
  check(c) {
    const start = frames(c.call, "out", "start")[0];
    let params: unknown;
    try { params = start?.data.text ? JSON.parse(start.data.text).streamParams : undefined; } catch { params = undefined; }
    return info(params ? `streamParams ${JSON.stringify(params)}` : "no streamParams", undefined, start ? [start] : []);
  },
} satisfies ConformanceCase;
