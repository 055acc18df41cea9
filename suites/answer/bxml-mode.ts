import type { ConformanceCase } from "../types.js";
import { info, streamMode, streamTracks } from "../observe.js";

export default {
  id: "answer.bxml.mode",
  level: "INFO",
  title: "Stream mode and tracks",
  expectation: "unidirectional or bidirectional; bidirectional enables the audio-back groups",
  // bandwidth.md §2.20
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/startStream"],
  outcomes: "recorded",
  scenarios: ["basic"],
  requires: ["startStream"],
  check(c) {
    return info(`mode=${streamMode(c.call)} tracks=${streamTracks(c.call)}`);
  },
} satisfies ConformanceCase;
